"""Answer key for notebooks/01-node-names.ipynb."""

from __future__ import annotations

from ... import checking, data
from .. import Question
from . import nodes


def _summary():
    return nodes.summary(data.load("nodes"))


def _ibm_gate_length(answer):
    row = nodes.find(_summary(), "IBM", "2nm")
    return checking.check_number(
        answer, row["gate_length_nm"], unit="nm", what="the gate length of IBM's 2 nm test chip",
        misconceptions={"node-name-is-gate-length": row["label_nm"]},
        success="The gate is several times longer than the name: the name is a label.",
    )


def _n5_pitch_ratio(answer):
    row = nodes.find(_summary(), "TSMC", "N5")
    return checking.check_number(
        answer, row["cpp_nm"] / row["label_nm"], rel_tol=0.02,
        what="TSMC N5's gate pitch divided by the number in its name",
        misconceptions={"node-name-is-a-pitch": 1.0},
        success="No pitch on the chip is anywhere near the number in the name.",
    )


def _denser_node(answer):
    summary = _summary()
    intel = nodes.find(summary, "Intel", "10nm")["density_mtr_mm2"]
    tsmc = nodes.find(summary, "TSMC", "N7")["density_mtr_mm2"]
    denser, other = ("Intel 10nm", "TSMC N7") if intel > tsmc else ("TSMC N7", "Intel 10nm")
    return checking.check_choice(
        answer, denser, ["Intel 10nm", "TSMC N7"], what="the denser node",
        misconceptions={other: "smaller-number-denser"},
        success="The node with the larger number is the denser one here.",
    )


def _same_name_ratio(answer):
    summary = _summary()
    ratio = (nodes.find(summary, "Intel", "10nm")["density_mtr_mm2"]
             / nodes.find(summary, "TSMC", "N10")["density_mtr_mm2"])
    return checking.check_number(
        answer, ratio, rel_tol=0.02, what="Intel 10nm's density divided by TSMC N10's",
        misconceptions={"same-name-same-density": 1.0},
        success="Same number in the name, very different densities.",
    )


def _a14_density(answer):
    chips = data.load("chips")
    row = chips[chips["chip"] == "Apple A14 Bionic"].iloc[0]
    claimed = nodes.find(_summary(), "TSMC", "N5")["density_mtr_mm2"]
    return checking.check_number(
        answer, nodes.chip_density(row["transistors_bn"], row["die_area_mm2"]), rel_tol=0.02,
        what="the A14's average density in MTr/mm²",
        misconceptions={"claimed-density-is-chip-density": claimed},
        success="A whole chip averages less than the densest cells of its node.",
    )


QUESTIONS = [
    Question("nodes_ibm_gate_length", "What is the gate length of IBM's 2 nm test chip, in nm?",
             _ibm_gate_length,
             'ibm_gate_length_nm = summary.loc[summary["company"] == "IBM", "gate_length_nm"].item()'),
    Question("nodes_n5_pitch_ratio",
             "How many times larger than the number in its name is TSMC N5's contacted gate pitch?",
             _n5_pitch_ratio,
             'n5 = nodes.find(summary, "TSMC", "N5")\nn5_ratio = n5["cpp_nm"] / n5["label_nm"]'),
    Question("nodes_denser_node", "Which is denser: Intel 10nm or TSMC N7?", _denser_node,
             'denser = "Intel 10nm"'),
    Question("nodes_same_name_ratio", "Intel 10nm's density divided by TSMC N10's?",
             _same_name_ratio,
             'same_name_ratio = (nodes.find(summary, "Intel", "10nm")["density_mtr_mm2"]\n'
             '                   / nodes.find(summary, "TSMC", "N10")["density_mtr_mm2"])'),
    Question("nodes_a14_density", "The Apple A14's average density in MTr/mm²?", _a14_density,
             'a14 = chips[chips["chip"] == "Apple A14 Bionic"].iloc[0]\n'
             'a14_density = a14["transistors_bn"] * 1000 / a14["die_area_mm2"]'),
]
