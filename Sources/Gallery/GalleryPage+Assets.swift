extension GalleryPage {
    /// The page's inline style sheet.
    static let style = """

    :root { color-scheme: dark; --bg: #15171a; --fg: #e8e8e8; --muted: #9aa0a6; --tile: #23262b; --accent: #6cb6ff; }
    * { box-sizing: border-box; }
    [hidden] { display: none !important; }
    body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.4 system-ui, sans-serif; }
    header { position: sticky; top: 0; z-index: 1; padding: 12px 20px; background: rgba(21, 23, 26, 0.95); border-bottom: 1px solid #333; }
    h1 { margin: 0 0 4px; font-size: 20px; }
    #count { margin: 0 0 8px; color: var(--muted); }
    #filter { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; }
    #filter legend { float: left; margin-right: 8px; color: var(--muted); }
    .mode { display: inline-flex; gap: 4px; align-items: center; }
    button { background: var(--tile); color: var(--fg); border: 1px solid #444; border-radius: 4px; padding: 1px 8px; cursor: pointer; font: inherit; }
    button:hover { border-color: var(--accent); }
    main { padding: 12px 20px 40px; }
    .image { margin: 0 0 24px; }
    h2 { margin: 0 0 8px; font-size: 15px; font-weight: 600; overflow-wrap: anywhere; }
    .tiles { display: flex; flex-wrap: wrap; gap: 10px; }
    .tile { margin: 0; padding: 6px; width: 220px; background: var(--tile); border-radius: 6px; }
    .tile img { display: block; width: 100%; height: 180px; object-fit: contain; background: #000; }
    .tile[data-mode="original"] { outline: 1px solid #555; }
    .tile figcaption { margin-top: 4px; text-align: center; color: var(--muted); }
    .empty { color: var(--muted); }
    #lightbox { position: fixed; inset: 0; z-index: 2; display: flex; align-items: center; justify-content: center; background: rgba(0, 0, 0, 0.88); cursor: zoom-out; }
    #lightbox figure { margin: 0; text-align: center; }
    #lightbox img { max-width: 95vw; max-height: 88vh; image-rendering: auto; }
    #lightbox figcaption { margin-top: 6px; color: var(--fg); overflow-wrap: anywhere; }

    """

    /// The page's inline script: mode filter, lightbox, and the links to the explorer when it
    /// answers beside the page. It reads file names only from
    /// attributes and writes them only through `textContent` and `setAttribute`.
    static let script = """

    (function () {
      "use strict";
      var boxes = Array.prototype.slice.call(document.querySelectorAll('#filter input[name="mode"]'));
      var tiles = Array.prototype.slice.call(document.querySelectorAll('.tile'));
      var sections = Array.prototype.slice.call(document.querySelectorAll('section.image'));
      function applyFilter() {
        var shown = {};
        boxes.forEach(function (box) { shown[box.value] = box.checked; });
        tiles.forEach(function (tile) { tile.hidden = !shown[tile.getAttribute('data-mode')]; });
        sections.forEach(function (section) {
          section.hidden = !section.querySelector('.tile:not([hidden])');
        });
      }
      boxes.forEach(function (box) { box.addEventListener('change', applyFilter); });
      Array.prototype.slice.call(document.querySelectorAll('button.only')).forEach(function (button) {
        button.addEventListener('click', function () {
          var only = button.getAttribute('data-only');
          boxes.forEach(function (box) { box.checked = box.value === only; });
          applyFilter();
        });
      });
      var every = document.getElementById('show-every-mode');
      if (every) {
        every.addEventListener('click', function () {
          boxes.forEach(function (box) { box.checked = true; });
          applyFilter();
        });
      }
      var lightbox = document.getElementById('lightbox');
      var big = document.getElementById('lightbox-image');
      var caption = document.getElementById('lightbox-caption');
      function openLightbox(link) {
        big.setAttribute('src', link.getAttribute('href'));
        big.setAttribute('alt', link.getAttribute('data-caption'));
        caption.textContent = link.getAttribute('data-caption');
        lightbox.hidden = false;
      }
      function closeLightbox() {
        lightbox.hidden = true;
        big.removeAttribute('src');
      }
      tiles.forEach(function (tile) {
        var link = tile.querySelector('a');
        link.addEventListener('click', function (event) {
          event.preventDefault();
          openLightbox(link);
        });
      });
      lightbox.addEventListener('click', closeLightbox);
      document.addEventListener('keydown', function (event) {
        if (event.key === 'Escape' && !lightbox.hidden) { closeLightbox(); }
      });
      applyFilter();
      /* Served by vis view --serve, the explorer answers at explore/: link each image to it. */
      if (location.protocol.indexOf('http') === 0) {
        fetch('explore/api/images').then(function (response) {
          if (!response.ok) { return; }
          document.querySelectorAll('a.explore').forEach(function (link) { link.hidden = false; });
          document.body.setAttribute('data-explore', 'true');
        }).catch(function () {});
      }
      document.body.setAttribute('data-gallery-ready', 'true');
    })();

    """
}
