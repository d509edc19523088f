// uPlot, from its WebJar (org.webjars.npm:uplot in the pom): the one place that names its version.
// The stylesheet is linked from here so that the page needs no second copy of the path.
import uPlot from '../webjars/uplot/1.6.30/dist/uPlot.esm.js';

const css = document.createElement('link');
css.rel = 'stylesheet';
css.href = new URL('../webjars/uplot/1.6.30/dist/uPlot.min.css', import.meta.url).href;
// before our own stylesheet, so that ours wins where both set something
document.head.insertBefore(css, document.head.querySelector('link[rel="stylesheet"]'));

export default uPlot;
