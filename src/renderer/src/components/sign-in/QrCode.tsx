// A QR code of the device sign-in's page, for a phone's camera. The encoder
// (qrcode-generator) is loaded on demand, in its own chunk: only a device sign-in needs it.
// It is drawn as one SVG path (lib/signin.ts qrPath), black on white whatever the theme, with
// a quiet zone of four modules, as scanners expect.
import { useEffect, useState } from 'react';
import { qrPath } from '../../lib/signin.js';

const QUIET_ZONE = 4;

interface Drawing {
  text: string;
  size: number;
  path: string;
}

export function QrCode({ text, label }: { text: string; label: string }) {
  const [drawing, setDrawing] = useState<Drawing | 'failed' | undefined>();
  useEffect(() => {
    let live = true;
    import('qrcode-generator')
      .then(({ default: qrcode }) => {
        const qr = qrcode(0, 'M');
        qr.addData(text);
        qr.make();
        const size = qr.getModuleCount();
        if (live) setDrawing({ text, size, path: qrPath(size, (row, col) => qr.isDark(row, col), QUIET_ZONE) });
      })
      // Too long to encode, or the chunk did not load: the link and the code are enough.
      .catch(() => live && setDrawing('failed'));
    return () => {
      live = false;
    };
  }, [text]);

  if (drawing === 'failed') return null;
  if (!drawing || drawing.text !== text) return <div className="qr-code qr-loading" aria-hidden="true" />;
  const full = drawing.size + 2 * QUIET_ZONE;
  return (
    <svg className="qr-code" role="img" aria-label={label} viewBox={`0 0 ${full} ${full}`} shapeRendering="crispEdges" data-testid="signin-qr">
      <rect width={full} height={full} fill="#fff" />
      <path d={drawing.path} fill="#000" />
    </svg>
  );
}
