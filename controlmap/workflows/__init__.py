"""Use cases: the only room that combines reading files, queries and the yearly cycle, exports and stores.

Load and analyse (:mod:`.kg`), validate and export RDF (:mod:`.validate`), the committee pages
(:mod:`.viz`, :mod:`.committee`, :mod:`.pages`), publishing to and asking the shared knowledge base
(:mod:`.publish`, :mod:`.peers`, :mod:`.shared_kb`), interoperability (:mod:`.interop`), mapping
lint (:mod:`.lint`), and the yearly cycle with its files, offered as ``cm.isheet``, ``cm.decisions``,
``cm.survey``, ``cm.review`` and ``cm.sharing`` (:mod:`.isheet`, :mod:`.decisions`, :mod:`.survey`,
:mod:`.review`, :mod:`.sharing`). This package may import every package but :mod:`controlmap.cli`.
"""
