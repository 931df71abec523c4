"""Analysis over stored facts: near-duplicate stories and consolidation into events."""
