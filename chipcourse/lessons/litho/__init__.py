"""Lesson 02, Printing with light: its model, charts, widgets and answer key (notebooks/02-lithography-euv.ipynb)."""
