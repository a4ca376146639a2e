"""Lesson 00, Start here: its model, charts, widgets and answer key (notebooks/00-start-here.ipynb)."""
