"""Local state: paths, settings + IT policy, profiles, secrets, history."""
