"""The checking SMTP relay: council mail is parsed, checked, archived, then relayed, held or rejected."""
