"""The notifier: reminders, escalations and follow-ups delivered to people (e-mail, LINE)."""
