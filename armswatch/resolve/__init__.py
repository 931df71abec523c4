"""Who is who: canonical entities for the actors that documents name."""

from armswatch.resolve.entities import EntityResolver, ResolvedEntity

__all__ = ["EntityResolver", "ResolvedEntity"]
