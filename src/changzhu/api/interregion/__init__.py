"""跨省通办: instances of the service in different regions hand matters to each other over signed requests."""
