"""Modal forms and questions: a form of fields with checks and warnings, and a yes/no confirmation.

Widgets and screens both open them; they import neither.
"""
