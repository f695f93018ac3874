"""Coordination UI: comments, CRM, review requests and positions, the publication gate."""
