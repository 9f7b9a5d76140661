"""Use cases: what a facilitator does, one function per action, one transaction each.

Plain Python over ``storage`` and ``domain``; no Qt. The GUI and the command line both
call these.
"""
