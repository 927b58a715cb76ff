package dev.e2bjobs.function;

import dev.e2bjobs.environment.EnvironmentCache;
import io.quarkus.funqy.Funq;

/** GET /environments (the caller's cached environments) and DELETE /environments/{environmentId} (drops one and its snapshot). */
public class EnvironmentsFunction {
    private final EnvironmentCache environments;
    private final HttpEdge edge;

    EnvironmentsFunction(EnvironmentCache environments, HttpEdge edge) {
        this.environments = environments;
        this.edge = edge;
    }

    @Funq("environments")
    public HttpApiResponse environments(HttpApiEvent event) {
        return edge.handle(event, request -> switch (request.route()) {
            case "GET /environments" -> new HttpEdge.Result(200, EnvironmentView.Page.of(environments.of(request.owner())));
            case "DELETE /environments/{environmentId}" -> {
                environments.drop(request.owner(), request.path("environmentId"));
                yield HttpEdge.Result.NO_CONTENT;
            }
            default -> throw HttpEdge.routeNotServed(request);
        });
    }
}
