// Starts Swagger UI on /api/docs. A file rather than an inline script, which the
// Content-Security-Policy forbids. Requests from "Try it out" carry the session's CSRF token.
document.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    validatorUrl: null,
    requestInterceptor: function (request) {
      request.headers["X-CSRF-Token"] = root.dataset.csrfToken;
      return request;
    },
  });
});
