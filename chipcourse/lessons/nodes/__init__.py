"""Lesson 01, What's in a nanometer?: its model, charts, widgets and answer key (notebooks/01-node-names.ipynb)."""
