import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import sharp, { type Metadata } from 'sharp';
import { InvalidInput, Unsupported } from '../common/domain-errors.js';

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const DOCUMENT_TYPES = [...IMAGE_TYPES, 'application/pdf'] as const;
/** The widths of an image's resized copies (WebP); 0 is the original. */
export const VARIANT_WIDTHS = [320, 1280] as const;
// Each upload is processed once: libvips' operation cache would only hold memory; one libvips
// thread per image keeps the allocator's per-thread arenas (and so the process's RSS) from growing.
sharp.cache(false);
sharp.concurrency(1);

/** No photo or scan needs more (a 50,000 × 50,000 "image" is a decompression bomb). */
const MAX_PIXELS = 50_000_000;

export interface Variant {
  width: number;
  contentType: string;
  bytes: Buffer;
  etag: string;
}

/** A strong ETag for `bytes`. */
export const etagOf = (bytes: Buffer) => `"${createHash('sha256').update(bytes).digest('base64url')}"`;

/**
 * The type of `bytes` as their content says (never the name or the client's Content-Type): 415
 * unless it is one of `allowed` (an SVG, HTML named .png or an executable is not).
 */
export async function contentTypeOf(bytes: Buffer, allowed: readonly string[]): Promise<string> {
  const type = await fileTypeFromBuffer(bytes);
  if (!type || !allowed.includes(type.mime)) {
    throw new Unsupported(`The file must be ${allowed.join(', ')} (its content says ${type?.mime ?? 'otherwise'})`);
  }
  return type.mime;
}

/**
 * The original and, for an image, its resized WebP copies (never wider than the original), each
 * without the original's metadata (EXIF: a photo's location). The size is read from the header
 * before anything is decoded: a declared 50,000 × 50,000 image is refused at once.
 */
export async function variantsOf(bytes: Buffer, contentType: string): Promise<Variant[]> {
  const original = originalOf(bytes, contentType);
  if (!contentType.startsWith('image/')) return [original];
  const width = await imageWidth(bytes);
  try {
    // Largest first, each smaller copy from the one before: the original is decoded once, and one
    // decode at a time keeps the memory an upload needs to about one image.
    const copies: Variant[] = [];
    let source = bytes;
    for (const target of [...VARIANT_WIDTHS].sort((a, b) => b - a)) {
      const copy = await sharp(source, { limitInputPixels: MAX_PIXELS })
        .rotate() // as the camera held it, before EXIF goes
        .resize({ width: Math.min(target, width), withoutEnlargement: true })
        .webp({ quality: 80 })
        .toBuffer();
      copies.unshift({ width: target, contentType: 'image/webp', bytes: copy, etag: etagOf(copy) });
      source = copy;
    }
    return [original, ...copies];
  } catch (error) {
    throw unreadable(error);
  }
}

/** The file as uploaded (a document is kept and served as it came). */
export function originalOf(bytes: Buffer, contentType: string): Variant {
  return { width: 0, contentType, bytes, etag: etagOf(bytes) };
}

/**
 * The width of an image, from its header (nothing decoded): 400 for one that cannot be read or
 * declares more than MAX_PIXELS (a declared 50,000 × 50,000 image is refused at once).
 */
export async function imageWidth(bytes: Buffer): Promise<number> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw unreadable(error);
  }
  if (!meta.width || !meta.height) throw new InvalidInput('The image cannot be read: it has no size');
  if (meta.width * meta.height > MAX_PIXELS) {
    throw new InvalidInput(`The image is ${meta.width} × ${meta.height} pixels: at most ${MAX_PIXELS} pixels`);
  }
  return meta.width;
}

const unreadable = (error: unknown) =>
  new InvalidInput(`The image cannot be read: ${error instanceof Error ? error.message : String(error)}`);
