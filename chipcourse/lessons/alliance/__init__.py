"""Lesson 04, Rivals to allies: 1986 to today: its model, charts, widgets and answer key (notebooks/04-alliance-history.ipynb)."""
