"""Lesson 05, Industrial policy by the numbers: its model, charts, widgets and answer key (notebooks/05-industrial-policy.ipynb)."""
