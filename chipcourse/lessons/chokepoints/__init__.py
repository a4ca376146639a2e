"""Lesson 06, Who holds the chokepoints?: its model, charts, widgets and answer key."""
