"""The family screen's parts: one widget per tab, the members table, and what the screen hands them to show."""
