"""Misconceptions: Lesson 04, Rivals to allies."""

from . import Misconception

ENTRIES = [
    Misconception(
        "japan-never-led", "alliance",
        "Japan never led the chip industry",
        "In the late 1980s Japanese companies sold about half of the world's chips, more than "
        "American ones: look at Japan's rows in the market_share table.",
    ),
    Misconception(
        "1986-free-trade-deal", "alliance",
        "The 1986 semiconductor agreement was a free-trade deal",
        "It was managed trade: Japan agreed to monitor export prices against dumping, and a side "
        "letter set a target for the foreign share of Japan's chip market, backed by the threat of "
        "sanctions (imposed the next year).",
    ),
    Misconception(
        "share-counts-location", "alliance",
        "A market share counts where chips are made",
        "Check the basis column: 'sales by company headquarters' counts the nationality of the "
        "company that sells the chips, wherever its factories are; only the capacity rows count "
        "factory locations.",
    ),
    Misconception(
        "announced-is-in-force", "alliance",
        "An announced measure is already in force",
        "Announcements, signatures and entry into force fall on different dates: the timeline's "
        "date_kind column says which one each date is.",
    ),
]
