"""The terminal app (Textual): screens, widgets, forms and the one door to the caseload they share."""
