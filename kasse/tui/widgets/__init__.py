"""Small reusable widgets: the date field, status cells, the generic form."""
