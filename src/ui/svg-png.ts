// Charts as PNG: the chart's SVG is serialised, drawn on a canvas at 2× and encoded. Everything
// stays in memory (Blob), never in a URL the page keeps.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A standalone copy of the SVG: namespace, size, white background and the page's font. */
export function standaloneSvg(
  svg: SVGSVGElement,
  title: string,
): { markup: string; width: number; height: number } {
  const box = svg.getBoundingClientRect();
  const width = Math.round(box.width || Number(svg.getAttribute('width')) || 640);
  const height = Math.round(box.height || Number(svg.getAttribute('height')) || 360);
  const copy = svg.cloneNode(true);
  if (!(copy instanceof SVGSVGElement)) throw new Error('not an SVG element');
  copy.setAttribute('xmlns', SVG_NS);
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  copy.setAttribute('font-family', getComputedStyle(svg).fontFamily || 'sans-serif');
  const titleElement = document.createElementNS(SVG_NS, 'title');
  titleElement.textContent = title;
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#ffffff');
  copy.insertBefore(background, copy.firstChild);
  copy.insertBefore(titleElement, copy.firstChild);
  return { markup: new XMLSerializer().serializeToString(copy), width, height };
}

/** Renders the SVG to a PNG Blob at `scale` times its on-screen size. */
export async function svgToPngBlob(svg: SVGSVGElement, title: string, scale = 2): Promise<Blob> {
  const { markup, width, height } = standaloneSvg(svg, title);
  const svgUrl = URL.createObjectURL(new Blob([markup], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const image = new Image();
    image.decoding = 'sync';
    const loaded = new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the chart could not be drawn as an image'));
    });
    image.src = svgUrl;
    await loaded;
    const canvas = document.createElement('canvas');
    canvas.width = width * scale;
    canvas.height = height * scale;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser cannot draw on a canvas');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) => {
      canvas.toBlob((blob) => {
        if (blob) resolve(blob);
        else reject(new Error('the chart could not be encoded as PNG'));
      }, 'image/png');
    });
  } finally {
    URL.revokeObjectURL(svgUrl);
  }
}
