"""Organisation names as partners write them: normal forms, kinds, matching and its record.

``names`` turns a name into comparable forms (abbreviations spelled out, designators such as
"NHS Foundation Trust" or "District Council" set aside) and says what kind of body a name
describes; ``matcher`` finds the one known organisation a name means, or says it cannot;
``store`` keeps every decision with its rule and score, so a merge can be explained and split.
"""
