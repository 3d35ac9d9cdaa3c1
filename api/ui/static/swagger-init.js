// Starts Swagger UI on /docs from this file, not from an inline script, so the page keeps the strict Content
// Security Policy of every other page (script-src 'self'). The OpenAPI document's address is the element's data-url.
(function () {
  var element = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: element.getAttribute("data-url"),
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
})();
