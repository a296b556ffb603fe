/**
 * The grid's look, from AG Grid's theming API: the same font, accent and borders as styles.css's
 * tokens, so the sheet and any other grid read as one product. main.tsx makes it every grid's
 * default; a grid may still pass `theme={gridTheme}`.
 */
import { themeQuartz } from 'ag-grid-community';

export const FONT_FAMILY = ['Be Vietnam Pro', 'system-ui', 'sans-serif'];

export const gridTheme = themeQuartz.withParams({
  fontFamily: FONT_FAMILY,
  fontSize: 13,
  headerFontSize: 12.5,
  headerFontWeight: 600,
  rowHeight: 30,
  headerHeight: 36,
  spacing: 6,
  accentColor: '#0b4f8a', // --accent
  foregroundColor: '#1f2933', // --text
  headerTextColor: '#334155',
  headerBackgroundColor: '#f1f5f9', // --surface-2
  borderColor: '#d5dde6', // --border
  columnBorder: true,
  wrapperBorder: false,
  wrapperBorderRadius: 0,
  borderRadius: 4,
  rangeSelectionBorderColor: '#0b4f8a',
});
