/* global window, document */
// Applies the saved or system theme before first paint, so there is no flash of the wrong palette.
(function () {
  try {
    var t = localStorage.getItem('backendify.theme');
    var dark = t ? t === 'dark' : window.matchMedia('(prefers-color-scheme: dark)').matches;
    if (dark) document.documentElement.classList.add('dark');
  } catch (e) {
    /* storage unavailable: keep the light default */
  }
})();
