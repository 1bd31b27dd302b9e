"""Quality assurance of case judgements (issue 15): agreement between a first and a blind
second assessment of the same cases, computed from the pairs alone (:mod:`.agreement`)."""
