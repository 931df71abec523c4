"""ArmsWatch: evidence-linked facts about arms transfers, sanctions and diplomacy.

    >>> from armswatch import extract_facts
    >>> facts = extract_facts("North Korea has delivered artillery shells to Russia.")
"""

from armswatch.model import Document, DocumentResult, Entity, Evidence, Fact
from armswatch.service import Extractor, extract_facts, extract_paths
from armswatch.settings import Settings

__all__ = ["Document", "DocumentResult", "Entity", "Evidence", "Extractor", "Fact", "Settings",
           "extract_facts", "extract_paths"]
__version__ = "0.1.0"
