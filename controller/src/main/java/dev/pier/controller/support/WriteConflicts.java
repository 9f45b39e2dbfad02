package dev.pier.controller.support;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.method.HandlerMethod;

/**
 * In the OpenAPI document: every operation that changes something may answer 409, as {@link ConstraintProblems}
 * turns a lost race on a unique name, or a lock held by another request, into a 409 wherever it happens; the
 * handlers' own conflicts (a deployment in progress, a move the state table refuses) are 409s too.
 */
@Component
public class WriteConflicts implements GlobalOperationCustomizer {
    @Override
    public Operation customize(Operation operation, HandlerMethod handler) {
        if (!handler.hasMethodAnnotation(GetMapping.class)) {
            ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
            operation.setResponses(responses);
            if (!responses.containsKey("409")) {
                responses.addApiResponse("409", new ApiResponse().description("the change conflicts with the "
                        + "current state or with another request's; the problem says which, and whether to retry"));
            }
        }
        return operation;
    }
}
