package io.lmssync.check;

import io.lmssync.source.RequestPlan;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

/**
 * The parts a stream's route runs with, read from the route itself (its templatedRoute's parameters in
 * {@code routes/<source>.camel.yaml}): the request plan and the mapper beans. A check uses exactly what a sync uses.
 */
record StreamParts(RequestPlan plan, Processor mapper) {

    /** The parts of the stream's route; fails naming the route when it is not built from the stream template. */
    static StreamParts of(CamelContext context, String stream) {
        RouteDefinition route = context.getCamelContextExtension().getContextPlugin(Model.class)
                .getRouteDefinition(stream);
        Map<String, Object> parameters = route == null ? null : route.getTemplateParameters();
        if (parameters == null || parameters.get("requests") == null || parameters.get("mapper") == null) {
            throw new IllegalStateException("no route " + stream + " built from the stream template (with requests "
                    + "and mapper parameters): its source's route file must declare it");
        }
        return new StreamParts(context.getRegistry().lookupByNameAndType(
                String.valueOf(parameters.get("requests")), RequestPlan.class),
                context.getRegistry().lookupByNameAndType(String.valueOf(parameters.get("mapper")), Processor.class));
    }
}
