"""Proactive outreach (主动服务): screen the resident register with the rules engine for people who qualify
for a benefit and have not applied, and hand the list to the community grid workers."""
