# The audit log and attachments are not administered: the audit log is read on its own page by the
# auditor, and attachments through the records that own them, each under the visibility policy.
