"""collabcert: certificates for Cisco collaboration systems.

The engine lives in this package and never imports textual (tests/test_layering.py proves it).
"""

__version__ = "0.1.0"
