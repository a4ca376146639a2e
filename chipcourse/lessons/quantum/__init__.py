"""Lesson 03, Qubits, gates and cold fridges: its model, charts, widgets and answer key (notebooks/03-quantum-basics.ipynb)."""
