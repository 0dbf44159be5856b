"""What each page shows, built without Streamlit (layer 6): cards with their change since
last week, flagged townships with reasons, attention rows, owners of overdue issues,
burndown defaults, the current phase. Pages draw these models; the briefing pack builds
its content from the same ones."""
