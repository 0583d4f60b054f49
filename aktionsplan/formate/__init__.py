"""Date formats per language where Django's own are not what the portal writes
(`FORMAT_MODULE_PATH`)."""
