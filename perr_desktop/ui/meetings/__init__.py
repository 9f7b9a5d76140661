"""The Meetings area: list and month view, then one meeting's preparation, attendance,
minutes and documents (one module per tab)."""
