// Cursor pagination for list RPCs: one token format and one page-size rule for every service.
export { decodePageToken, encodePageToken, pageSize, parsePageToken } from './page-token';
