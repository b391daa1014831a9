"""The demo region and its fake partner websites: a checkout's, not part of the product package."""
