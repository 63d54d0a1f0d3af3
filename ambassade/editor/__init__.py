"""The editor in the browser at ``/admin/`` (Decap CMS): its configuration made from the rules,
its policy, its programs fetched from npm, and ``invoke edit``'s local backend.

The build part is the ``editor`` plugin's (``plugins/editor``); the settings are ``EDITOR``
(:mod:`ambassade.editor.settings`), read by the hosting plugin too.
"""
