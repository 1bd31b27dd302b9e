"""The built-in plugins: each folder is one plugin, registered exactly as an installed one
(:data:`hmip_inspect.core.plugin.manager.DEFAULT_PLUGINS`)."""
