"""Item pipelines, in processing order: normalise, validate, dedupe, enrich, publish.

The numbers leave gaps so that a stage can be inserted without renumbering.
"""

PIPELINES = {
    "crawlers.pipelines.normalise.NormalisePipeline": 100,
    "crawlers.pipelines.validate.ValidatePipeline": 200,
    "crawlers.pipelines.dedupe.DedupePipeline": 300,
    "crawlers.pipelines.enrich.EnrichPipeline": 400,
    "crawlers.pipelines.publish.PublishPipeline": 500,
}
