"""Pure geography: reference layers of French communes, départements, régions and EPCI.

This package imports nothing else of the project (it is the bottom layer).
"""
