/**
 * Chinese sentiment lexicon for airline service feedback.
 *
 * Source: hand-curated for this service (csm analytics, 2026) — no maintained pure-JS Chinese sentiment package
 * exists in the registry we may use (nodejieba-based ones need a native addon). Entries are the evaluative words and
 * set phrases that recur in airline complaints and surveys (delays, baggage, staff attitude, cabin service, refunds),
 * each given a valence on the AFINN scale (−5 … +5, the scale the English analyser uses) so Chinese and English
 * scores of a mixed text add up. Matching is longest-match-first over the raw text (no word segmentation needed for a
 * lexicon this size); a negator just before a term flips it, an intensifier adds one point of magnitude.
 * To extend: add words with the same scale; keep phrases that contain a shorter entry (longest match wins).
 */
export const ZH_LEXICON: Readonly<Record<string, number>> = {
  // positive
  满意: 2, 非常满意: 3, 很满意: 3, 满足: 1, 好: 2, 很好: 3, 不错: 2, 优秀: 3, 完美: 4, 棒: 3, 赞: 3, 点赞: 3,
  感谢: 2, 谢谢: 2, 感激: 3, 热情: 2, 周到: 2, 贴心: 3, 耐心: 2, 细心: 2, 专业: 2, 高效: 2, 及时: 2, 准时: 2,
  准点: 2, 舒适: 2, 舒服: 2, 干净: 2, 整洁: 1, 方便: 2, 便捷: 2, 快捷: 2, 顺利: 2, 友好: 2, 礼貌: 2, 温馨: 2,
  愉快: 3, 开心: 3, 喜欢: 2, 推荐: 2, 值得: 2, 好评: 3, 表扬: 3, 优质: 3, 安心: 2, 放心: 2, 靠谱: 2, 给力: 3,
  解决: 1, 妥善: 2, 负责: 2, 认真: 2, 宽敞: 2, 美味: 3, 好吃: 3,
  // negative
  不满: -2, 不满意: -3, 失望: -2, 非常失望: -3, 差: -2, 很差: -3, 太差: -3, 糟糕: -3, 糟透: -4, 垃圾: -4, 恶劣: -3,
  差劲: -3, 投诉: -2, 愤怒: -3, 生气: -3, 气愤: -3, 恼火: -3, 无语: -2, 离谱: -3, 过分: -2, 无理: -2, 粗鲁: -3,
  冷漠: -2, 态度差: -3, 敷衍: -2, 推诿: -2, 延误: -2, 晚点: -2, 误机: -3, 取消: -1, 丢失: -3, 丢了: -3, 遗失: -3,
  破损: -2, 损坏: -2, 弄坏: -3, 等待: -1, 等了: -1, 漫长: -2, 太久: -2, 拥挤: -2, 脏: -2, 肮脏: -3, 难吃: -3,
  难受: -2, 不舒服: -2, 混乱: -2, 麻烦: -1, 欺骗: -4, 骗人: -4, 坑: -3, 退款难: -3, 拒绝: -2, 无人: -2,
  没人管: -3, 不负责: -3, 不专业: -3, 不合理: -2, 错误: -2, 问题: -1, 焦虑: -2, 担心: -1, 糟心: -3, 退票难: -3,
  再也不: -3, 后悔: -3, 可恶: -3, 恶心: -3, 慢: -1, 太慢: -2,
};

/** Words that flip the valence of the term right after them (within two characters). */
export const ZH_NEGATORS: readonly string[] = ['没有', '不', '没', '未', '无', '别', '非', '不太', '不够'];

/** Words that add one point of magnitude to the term right after them. */
export const ZH_INTENSIFIERS: readonly string[] = ['非常', '特别', '十分', '极其', '太', '很', '超', '真', '最'];
