"""Shared library of ambassade's plugins and command line.

Not a Pelican plugin itself (it has no ``register()``): it holds what every
plugin and task needs the same way, so that each rule has one home.
"""
