"""Offline exchange: review packets, responses, CRM workbooks, bulk solicitation, draft import."""
