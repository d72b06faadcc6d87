// Renders every <pre class="mermaid"> with the vendored Mermaid (no CDN: users may be offline).
(function () {
    if (!window.mermaid) { return; }
    window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral', fontFamily: 'inherit' });
    window.mermaid.run({ querySelector: 'pre.mermaid' });
})();
