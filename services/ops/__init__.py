"""The operator's command line: queues, dead letters shown, replayed and purged."""
