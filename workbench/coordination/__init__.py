"""Coordination: review requests, the comment resolution matrix, positions, the publication gate."""
