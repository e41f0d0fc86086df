<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja">
<context>
    <name>BubbleList</name>
    <message>
        <source>Drag a bubble, or press Alt+Up / Alt+Down, to change the order.</source>
        <translation>吹き出しをドラッグするか、Alt+↑ / Alt+↓ で順番を変えられます。</translation>
    </message>
    <message>
        <source>+ Text</source>
        <translation>＋ テキスト</translation>
    </message>
    <message>
        <source>+ Image</source>
        <translation>＋ 画像</translation>
    </message>
    <message>
        <source>+ Sticker</source>
        <translation>＋ スタンプ</translation>
    </message>
    <message>
        <source>+ Coupon</source>
        <translation>＋ クーポン</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Bubbles (up to {}), sent together as one message</source>
        <translation>吹き出し（{}つまで）: まとめて1通のメッセージとして送ります</translation>
    </message>
</context>
<context>
    <name>BubbleListModel</name>
    <message>
        <source>Text: {}</source>
        <translation>テキスト: {}</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>Image: {}</source>
        <translation>画像: {}</translation>
    </message>
    <message>
        <source>(no URL)</source>
        <translation>（URLなし）</translation>
    </message>
    <message>
        <source>Sticker: {} #{}</source>
        <translation>スタンプ: {} #{}</translation>
    </message>
    <message>
        <source>Coupon: {}</source>
        <translation>クーポン: {}</translation>
    </message>
    <message>
        <source>(no couponId)</source>
        <translation>（クーポンIDなし）</translation>
    </message>
</context>
<context>
    <name>ChannelPage</name>
    <message>
        <source>Disconnect</source>
        <translation>接続を解除</translation>
    </message>
    <message>
        <source>Paste the channel access token (long-lived) from LINE Developers</source>
        <translation>LINE Developers のチャネルアクセストークン(長期)を貼り付けてください</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>確認</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>接続する</translation>
    </message>
    <message>
        <source>Sync friends</source>
        <translation>同期</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Channel connection</source>
        <translation>チャネル接続</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>接続中</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>トークン</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>アカウント</translation>
    </message>
    <message>
        <source>Friends from LINE</source>
        <translation>LINEの友だち</translation>
    </message>
    <message>
        <source>No channel is connected.</source>
        <translation>チャネルは接続されていません。</translation>
    </message>
    <message>
        <source>{name} ({basic_id})</source>
        <translation>{name} ({basic_id})</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>置き換える</translation>
    </message>
    <message>
        <source>Asking LINE…</source>
        <translation>LINEに確認しています…</translation>
    </message>
    <message>
        <source>Disconnect {name}? The token is removed from the keyring; your friends and tags stay.</source>
        <translation>{name} の接続を解除しますか?トークンをキーリングから削除します。友だちとタグはそのまま残ります。</translation>
    </message>
    <message>
        <source>{followers:,} followers: {added:,} new, {updated:,} updated, {blocked:,} blocked, {unfollowed:,} unfollowed.</source>
        <translation>友だち{followers:,}人: 新規{added:,}人、更新{updated:,}人、ブロック{blocked:,}人、友だち解除{unfollowed:,}人。</translation>
    </message>
    <message>
        <source>{n:,} profiles could not be fetched; run the sync again later.</source>
        <translation>{n:,}人のプロフィールを取得できませんでした。あとでもう一度同期してください。</translation>
    </message>
    <message>
        <source>Cancelled: what was fetched so far is kept.</source>
        <translation>キャンセルしました。ここまでに取得した分は保存されています。</translation>
    </message>
    <message>
        <source>Using the token in the environment variable SHOPLINE_CHANNEL_TOKEN.</source>
        <translation>環境変数 SHOPLINE_CHANNEL_TOKEN のトークンを使っています。</translation>
    </message>
</context>
<context>
    <name>ConditionEditors</name>
    <message>
        <source> years</source>
        <translation>歳</translation>
    </message>
    <message>
        <source> days</source>
        <translation>日</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>女性</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>男性</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>その他</translation>
    </message>
    <message>
        <source>Not given</source>
        <translation>未回答</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>今月</translation>
    </message>
    <message>
        <source>Next month</source>
        <translation>来月</translation>
    </message>
    <message numerus="yes">
        <source>Month %n</source>
        <translation>
            <numerusform>%n月</numerusform>
        </translation>
    </message>
    <message>
        <source> yen</source>
        <translation> 円</translation>
    </message>
</context>
<context>
    <name>ConditionRow</name>
    <message>
        <source>Exclude</source>
        <translation>除外</translation>
    </message>
    <message>
        <source>Remove (Delete)</source>
        <translation>削除 (Delete)</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>タグ</translation>
    </message>
    <message>
        <source>Drag to move it into a group; drop it on another condition to group the two. Ctrl+G: group, Ctrl+↑/↓: move, Delete: remove</source>
        <translation>ドラッグでグループへ移動、ほかの条件の上に落とすと2つをグループにします。Ctrl+G: グループ化、Ctrl+↑/↓: 移動、Delete: 削除</translation>
    </message>
</context>
<context>
    <name>CouponEditor</name>
    <message>
        <source>The coupon&apos;s ID (couponId), as shown for the coupon in LINE Official Account Manager.</source>
        <translation>LINE Official Account Managerのクーポン画面に表示されるクーポンID（couponId）です。</translation>
    </message>
    <message>
        <source>Coupon ID</source>
        <translation>クーポンID</translation>
    </message>
</context>
<context>
    <name>Delivery</name>
    <message>
        <source>Sent: %1 / not sent: %2 / pending: %3</source>
        <translation>送信済み %1人 / 送れず %2人 / 未送信 %3人</translation>
    </message>
</context>
<context>
    <name>EditFriendCommand</name>
    <message>
        <source>Edit “{name}”</source>
        <translation>「{name}」を編集</translation>
    </message>
</context>
<context>
    <name>EstimatePanel</name>
    <message>
        <source>Recipients</source>
        <translation>配信対象</translation>
    </message>
    <message>
        <source>Messages counted</source>
        <translation>数えられるメッセージ数</translation>
    </message>
    <message>
        <source>Sent this month</source>
        <translation>今月の送信数</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>プラン</translation>
    </message>
    <message>
        <source>Remaining after sending</source>
        <translation>送信後の残り</translation>
    </message>
    <message>
        <source>Extra cost</source>
        <translation>追加料金</translation>
    </message>
    <message>
        <source>Ask LINE again</source>
        <translation>LINEに再確認</translation>
    </message>
    <message>
        <source>Choose who receives the message.</source>
        <translation>配信対象を選んでください。</translation>
    </message>
    <message>
        <source>Working out the estimate…</source>
        <translation>見積もりを計算中…</translation>
    </message>
    <message>
        <source>{:,} friends</source>
        <translation>{:,}人</translation>
    </message>
    <message>
        <source>{:,} messages</source>
        <translation>{:,}通</translation>
    </message>
    <message>
        <source>Unknown: choose it in Settings</source>
        <translation>不明（設定で選んでください）</translation>
    </message>
    <message>
        <source>No limit set by LINE</source>
        <translation>LINEの上限なし</translation>
    </message>
    <message>
        <source>This send fits this month&apos;s plan.</source>
        <translation>今月のプランの範囲で送信できます。</translation>
    </message>
    <message>
        <source>Warning: this send takes the month past 80%.</source>
        <translation>注意: この送信で今月の80%を超えます。</translation>
    </message>
    <message>
        <source>Check before sending:</source>
        <translation>送信前に確認してください:</translation>
    </message>
    <message>
        <source>Cannot send: the month&apos;s limit is too small.</source>
        <translation>送信できません: 今月の上限を超えます。</translation>
    </message>
    <message>
        <source>What you can do:</source>
        <translation>できること:</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>Unknown (connect to LINE)</source>
        <translation>不明（LINEに接続してください）</translation>
    </message>
    <message>
        <source>{used:,} of {limit:,} messages</source>
        <translation>{used:,}通 / 上限{limit:,}通</translation>
    </message>
    <message>
        <source>Last known, as of {}</source>
        <translation>{}時点の最新の数値</translation>
    </message>
    <message>
        <source>None</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>{total} (tax excluded)</source>
        <translation>{total}（税別）</translation>
    </message>
    <message>
        <source>Extra messages {first:,}–{last:,}: {count:,} × {each} = {yen}{unconfirmed}</source>
        <translation>追加メッセージ {first:,}〜{last:,}通目: {count:,}通 × {each} = {yen}{unconfirmed}</translation>
    </message>
    <message>
        <source> (unconfirmed price)</source>
        <translation>（単価未確認）</translation>
    </message>
    <message>
        <source>Automations still to send</source>
        <translation>自動配信の予定</translation>
    </message>
    <message>
        <source>About {:,} messages this month</source>
        <translation>今月あと約{:,}通</translation>
    </message>
</context>
<context>
    <name>FriendDetail</name>
    <message>
        <source>Select a friend to see the details.</source>
        <translation>友だちを選ぶと、ここに詳しい情報が表示されます。</translation>
    </message>
    <message>
        <source>Not given</source>
        <translation>未回答</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>女性</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>男性</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>その他</translation>
    </message>
    <message>
        <source>Remove tag</source>
        <translation>タグを外す</translation>
    </message>
    <message>
        <source>Add tag</source>
        <translation>タグを付ける</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>表示名</translation>
    </message>
    <message>
        <source>User ID</source>
        <translation>ユーザーID</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性別</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>誕生日</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地域</translation>
    </message>
    <message>
        <source>Friend since</source>
        <translation>友だち追加日</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>タグ</translation>
    </message>
    <message>
        <source>Memo</source>
        <translation>メモ</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <source>Button</source>
        <translation>ボタン操作</translation>
    </message>
    <message>
        <source>Link click</source>
        <translation>リンクのクリック</translation>
    </message>
    <message>
        <source>Reactions</source>
        <translation>反応</translation>
    </message>
    <message>
        <source>None yet</source>
        <translation>まだありません</translation>
    </message>
    <message>
        <source>Campaigns</source>
        <translation>配信</translation>
    </message>
</context>
<context>
    <name>FriendsModel</name>
    <message>
        <source>Name</source>
        <translation>表示名</translation>
    </message>
    <message>
        <source>User ID</source>
        <translation>ユーザーID</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>タグ</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性別</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地域</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>誕生日</translation>
    </message>
    <message>
        <source>Friend since</source>
        <translation>友だち追加日</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Memo</source>
        <translation>メモ</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>女性</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>男性</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>その他</translation>
    </message>
    <message>
        <source>Not given</source>
        <translation>未回答</translation>
    </message>
    <message>
        <source>Friend</source>
        <translation>友だち</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>ブロック</translation>
    </message>
    <message>
        <source>Unfollowed</source>
        <translation>友だち解除</translation>
    </message>
    <message>
        <source>Last purchase</source>
        <translation>最終購入日</translation>
    </message>
    <message>
        <source>Total spent</source>
        <translation>累計購入額</translation>
    </message>
    <message>
        <source>¥{amount}</source>
        <translation>¥{amount}</translation>
    </message>
</context>
<context>
    <name>FriendsPage</name>
    <message>
        <source>Search by name, user ID or memo</source>
        <translation>名前・ユーザーID・メモで検索</translation>
    </message>
    <message>
        <source>Segment: {title}</source>
        <translation>セグメント: {title}</translation>
    </message>
</context>
<context>
    <name>GroupFrame</name>
    <message>
        <source>Switch between all and any (Ctrl+O)</source>
        <translation>すべて/いずれかを切り替え (Ctrl+O)</translation>
    </message>
    <message>
        <source>Exclude</source>
        <translation>除外</translation>
    </message>
    <message>
        <source>Friends matching this group are left out (Ctrl+E)</source>
        <translation>このグループに当てはまる友だちを除外します (Ctrl+E)</translation>
    </message>
    <message>
        <source>Remove (Delete)</source>
        <translation>削除 (Delete)</translation>
    </message>
    <message>
        <source>Drop tags or conditions here</source>
        <translation>ここにタグや条件をドロップ</translation>
    </message>
    <message>
        <source>Match all (AND)</source>
        <translation>すべて満たす (AND)</translation>
    </message>
    <message>
        <source>Match any (OR)</source>
        <translation>いずれかを満たす (OR)</translation>
    </message>
    <message>
        <source>Drop tags and conditions here; drag the group by its handle to move it. Ctrl+G: group, Ctrl+O: AND/OR, Delete: remove</source>
        <translation>ここにタグや条件をドロップします。つまみ(⋮⋮)をドラッグするとグループごと移動します。Ctrl+G: グループ化、Ctrl+O: AND/OR 切り替え、Delete: 削除</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <source>Created</source>
        <translation>作成日時</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Recipients</source>
        <translation>送信先</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>送信済み</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>送れず</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>未送信</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Not sent and pending</source>
        <translation>送れず・未送信</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>全員</translation>
    </message>
    <message>
        <source>LINE user ID</source>
        <translation>LINEユーザーID</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>再開</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>更新</translation>
    </message>
    <message>
        <source> (the first %1 shown)</source>
        <translation>（最初の%1人を表示）</translation>
    </message>
    <message>
        <source>%1 friends listed</source>
        <translation>%1人を表示</translation>
    </message>
    <message>
        <source>Connect a LINE channel first (Settings).</source>
        <translation>先にLINEチャネルを接続してください（設定）。</translation>
    </message>
    <message>
        <source>Send anyway</source>
        <translation>それでも送る</translation>
    </message>
    <message>
        <source>Leave them out</source>
        <translation>送らない</translation>
    </message>
    <message>
        <source>Campaigns you send will be listed here: who received each one, who did not and why, and a button to resume a paused send.

To send your first message, open Messages, choose who receives it, write the message and press Send…</source>
        <translation>送信した配信がここに一覧で表示されます。配信ごとに、届いた人、届かなかった人とその理由が見られ、一時停止した配信は「再開」で続きを送れます。

最初のメッセージを送るには、「メッセージ」を開いて配信対象を選び、メッセージを書いて「送信…」を押してください。</translation>
    </message>
</context>
<context>
    <name>ImageEditor</name>
    <message>
        <source>Use the same URL for the preview</source>
        <translation>プレビューにも同じURLを使う</translation>
    </message>
    <message>
        <source>https://… (JPEG or PNG, up to 1 MB)</source>
        <translation>https://…（JPEGまたはPNG、1MBまで）</translation>
    </message>
    <message>
        <source>LINE only sends images over HTTPS: JPEG or PNG, the original up to 10 MB.</source>
        <translation>LINEで送れる画像はHTTPSのURLだけです。JPEGまたはPNG、元画像は10MBまで。</translation>
    </message>
    <message>
        <source>Image URL</source>
        <translation>画像のURL</translation>
    </message>
    <message>
        <source>No image yet</source>
        <translation>画像はまだありません</translation>
    </message>
    <message>
        <source>Enter an HTTPS image URL</source>
        <translation>HTTPSの画像URLを入力してください</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>読み込み中…</translation>
    </message>
    <message>
        <source>No preview: the image cannot be reached (offline?). LINE fetches it itself when the message is sent.</source>
        <translation>プレビューを表示できません（オフライン？）。画像は送信時にLINEが取得します。</translation>
    </message>
    <message>
        <source>Choose a photo on this PC…</source>
        <translation>パソコンの写真を選ぶ…</translation>
    </message>
    <message>
        <source>Choose a photo</source>
        <translation>写真を選ぶ</translation>
    </message>
    <message>
        <source>Photos (*.jpg *.jpeg *.png)</source>
        <translation>写真 (*.jpg *.jpeg *.png)</translation>
    </message>
    <message>
        <source>%1 is not a JPEG or PNG photo: LINE sends only those.</source>
        <translation>%1 はJPEGやPNGの写真ではありません。LINEで送れるのはJPEGとPNGだけです。</translation>
    </message>
    <message>
        <source>%1 is larger than 10 MB, LINE's limit for an image: choose a smaller copy.</source>
        <translation>%1 は10MBを超えています（LINEの画像の上限）。小さくした写真を選んでください。</translation>
    </message>
    <message>
        <source>Photo on this PC: %1. The web address above is what LINE sends.</source>
        <translation>パソコンの写真: %1。LINEで送られるのは上のウェブのアドレスの画像です。</translation>
    </message>
    <message>
        <source>Photo on this PC: %1. LINE can only send images from the web: put this photo on the web (an https:// address) and enter that address above. Until then this message cannot be sent.</source>
        <translation>パソコンの写真: %1。LINEで送れるのはウェブ上の画像だけです。この写真をウェブに置き（https:// で始まるアドレス）、そのアドレスを上に入れてください。それまではこのメッセージは送信できません。</translation>
    </message>
    <message>
        <source>No preview</source>
        <translation>プレビューなし</translation>
    </message>
    <message>
        <source>The photo cannot be read.</source>
        <translation>写真を読み込めません。</translation>
    </message>
    <message>
        <source>No preview: the image's site cannot be reached from this PC (offline, or the site is down). LINE fetches it itself when sending.</source>
        <translation>プレビューを表示できません: このパソコンから画像のサイトにつながりません（オフラインか、サイトが止まっています）。送信時にはLINEが自分で画像を取りに行きます。</translation>
    </message>
    <message>
        <source>No preview: the site's security certificate is not valid, so LINE will not fetch the image either. Use an address whose site opens in a browser without a warning.</source>
        <translation>プレビューを表示できません: サイトのセキュリティ証明書が正しくないため、LINEも画像を取得できません。ブラウザで警告なしに開けるサイトのアドレスを使ってください。</translation>
    </message>
    <message>
        <source>No preview: nothing is at this address (404). Check it, or open it in a browser.</source>
        <translation>プレビューを表示できません: このアドレスには何もありません（404）。アドレスを確かめるか、ブラウザで開いてみてください。</translation>
    </message>
    <message>
        <source>No preview: this address gives a web page or a file, not a JPEG or PNG image. Use the address of the image itself.</source>
        <translation>プレビューを表示できません: このアドレスはJPEGやPNGの画像ではなく、ウェブページなどです。画像そのもののアドレスを使ってください。</translation>
    </message>
    <message>
        <source>No preview: the site refused to give the image. Check the address in a browser.</source>
        <translation>プレビューを表示できません: サイトが画像の取得を断りました。ブラウザでアドレスを確かめてください。</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import CSV</source>
        <translation>CSVを読み込む</translation>
    </message>
    <message>
        <source>No file chosen</source>
        <translation>ファイルが選ばれていません</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>ファイルを選ぶ…</translation>
    </message>
    <message>
        <source>Detect</source>
        <translation>自動判定</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>読み込む</translation>
    </message>
    <message>
        <source>Encoding</source>
        <translation>文字コード</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSVファイル (*.csv);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Reading {name}…</source>
        <translation>{name} を読んでいます…</translation>
    </message>
    <message>
        <source>Encoding: {encoding}. The first {n} rows are shown; each column header says what it becomes.</source>
        <translation>文字コード: {encoding}。最初の{n}行を表示しています。各列の見出しに、読み込み先を表示しています。</translation>
    </message>
    <message>
        <source>New fields will be made for: {names}</source>
        <translation>新しい項目を作ります: {names}</translation>
    </message>
    <message>
        <source>This file cannot be read.</source>
        <translation>このファイルは読めません。</translation>
    </message>
    <message>
        <source>Row {row}, {column}: {reason}</source>
        <translation>{row}行目 {column}: {reason}</translation>
    </message>
    <message>
        <source>… and {n} more</source>
        <translation>…ほか{n}件</translation>
    </message>
    <message>
        <source>The refused rows and their reasons: &lt;a href=&quot;{url}&quot;&gt;{path}&lt;/a&gt;</source>
        <translation>読み込めなかった行と理由: &lt;a href=&quot;{url}&quot;&gt;{path}&lt;/a&gt;</translation>
    </message>
</context>
<context>
    <name>LiveCount</name>
    <message>
        <source>Cannot count: {reason}</source>
        <translation>数えられません: {reason}</translation>
    </message>
    <message>
        <source>Matching friends: {n:,}</source>
        <translation>該当する友だち {n:,}人</translation>
    </message>
    <message>
        <source>Add a tag or condition to count matching friends</source>
        <translation>タグか条件を追加すると、該当する友だちの数が出ます</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Friends</source>
        <translation>友だち</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>タグ</translation>
    </message>
    <message>
        <source>Segments</source>
        <translation>セグメント</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <source>Delivery history</source>
        <translation>配信履歴</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>やり直す</translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation>デモデータ</translation>
    </message>
    <message>
        <source>These friends are made up by the demo shop, not your customers.</source>
        <translation>この友だちはデモショップの架空のデータで、お客さまではありません。</translation>
    </message>
    <message numerus="yes">
        <source>%Ln friend(s)</source>
        <translation>
            <numerusform>友だち %Ln人</numerusform>
        </translation>
    </message>
    <message>
        <source>{listed:,} of {total:,} friends</source>
        <translation>{listed:,}人を表示中(全{total:,}人)</translation>
    </message>
    <message>
        <source>ShopLine — demo shop</source>
        <translation>ShopLine — デモショップ</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>効果測定</translation>
    </message>
    <message>
        <source>Scenarios</source>
        <translation>シナリオ</translation>
    </message>
    <message>
        <source>Purchases</source>
        <translation>購買</translation>
    </message>
</context>
<context>
    <name>MessagesPage</name>
    <message>
        <source>Add a bubble, or choose one in the list to edit it.</source>
        <translation>吹き出しを追加するか、一覧から選んで編集してください。</translation>
    </message>
    <message>
        <source>Send…</source>
        <translation>送信…</translation>
    </message>
    <message>
        <source>Bubble {}: </source>
        <translation>吹き出し{}: </translation>
    </message>
    <message>
        <source>Choose who receives the message.</source>
        <translation>配信対象を選んでください。</translation>
    </message>
    <message>
        <source>Waiting for the estimate…</source>
        <translation>見積もりを待っています…</translation>
    </message>
    <message>
        <source>This month&apos;s limit cannot take this send: see the estimate for what you can do.</source>
        <translation>今月の上限を超えるため送信できません。見積もりの「できること」を見てください。</translation>
    </message>
    <message>
        <source>A/B test…</source>
        <translation>A/Bテスト…</translation>
    </message>
</context>
<context>
    <name>MoveTagCommand</name>
    <message>
        <source>Move “{tag}” to “{folder}”</source>
        <translation>「{tag}」をフォルダ「{folder}」へ移動</translation>
    </message>
</context>
<context>
    <name>PaletteModel</name>
    <message>
        <source>Conditions</source>
        <translation>条件</translation>
    </message>
    <message>
        <source>Friend info</source>
        <translation>友だち情報</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>タグ</translation>
    </message>
    <message>
        <source>{n:,} friends</source>
        <translation>友だち {n:,}人</translation>
    </message>
    <message>
        <source>Purchases</source>
        <translation>購買</translation>
    </message>
    <message>
        <source>Reactions</source>
        <translation>反応</translation>
    </message>
</context>
<context>
    <name>PhonePreview</name>
    <message>
        <source>Your shop</source>
        <translation>あなたのお店</translation>
    </message>
    <message>
        <source>Add a bubble: it shows here as your friends will see it.</source>
        <translation>吹き出しを追加すると、友だちに見える形でここに表示されます。</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>画像</translation>
    </message>
    <message>
        <source>Coupon</source>
        <translation>クーポン</translation>
    </message>
</context>
<context>
    <name>PlanBox</name>
    <message>
        <source>This month: unknown</source>
        <translation>今月の送信数: 不明</translation>
    </message>
    <message>
        <source>This month: %1 messages</source>
        <translation>今月 %1通送信</translation>
    </message>
    <message>
        <source>This month: %1 of %2 messages</source>
        <translation>今月 %1 / 上限%2通</translation>
    </message>
    <message>
        <source>Plan and this month</source>
        <translation>プランと今月の送信数</translation>
    </message>
    <message>
        <source>Automatic (from LINE&apos;s monthly limit)</source>
        <translation>自動（LINEの月間上限から判断）</translation>
    </message>
    <message>
        <source>%1 — %2 a month, %3 free messages</source>
        <translation>%1 — 月額%2・無料メッセージ%3通</translation>
    </message>
    <message>
        <source>Ask LINE now</source>
        <translation>LINEに確認</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>プラン</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>状況</translation>
    </message>
    <message>
        <source>Plan from LINE: %1</source>
        <translation>LINEの上限から判断したプラン: %1</translation>
    </message>
    <message>
        <source>LINE has not told the plan yet: connect the channel, or choose it above.</source>
        <translation>LINEからまだプランがわかりません。チャネルを接続するか、上で選んでください。</translation>
    </message>
    <message>
        <source>Last known, as of %1</source>
        <translation>%1時点の数値</translation>
    </message>
    <message>
        <source>Could not ask LINE: %1</source>
        <translation>LINEに問い合わせできませんでした: %1</translation>
    </message>
    <message>
        <source>This month: %1 messages (limit unknown)</source>
        <translation>今月 %1通送信（上限は不明）</translation>
    </message>
    <message>
        <source>This month: %1 messages (no limit)</source>
        <translation>今月 %1通送信（上限なし）</translation>
    </message>
</context>
<context>
    <name>PreviewModel</name>
    <message>
        <source>User ID</source>
        <translation>ユーザーID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>表示名</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性別</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>誕生日</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地域</translation>
    </message>
    <message>
        <source>Friend since</source>
        <translation>友だち追加日</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>タグ</translation>
    </message>
    <message>
        <source>Memo</source>
        <translation>メモ</translation>
    </message>
    <message>
        <source>Picture</source>
        <translation>プロフィール画像</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <source>new field “{name}”</source>
        <translation>新しい項目「{name}」</translation>
    </message>
    <message>
        <source>field “{name}”</source>
        <translation>項目「{name}」</translation>
    </message>
    <message>
        <source>ignored</source>
        <translation>読み込まない</translation>
    </message>
</context>
<context>
    <name>SegmentBuilderPage</name>
    <message>
        <source>Segment name</source>
        <translation>セグメント名</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>開く</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Show these friends</source>
        <translation>この友だちを表示</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>やり直す</translation>
    </message>
    <message>
        <source>Type a name for the segment first.</source>
        <translation>先にセグメント名を入力してください。</translation>
    </message>
    <message>
        <source>Delete the saved segment &quot;{name}&quot;?</source>
        <translation>保存したセグメント「{name}」を削除しますか?</translation>
    </message>
    <message>
        <source>Drag to move into a group · drop onto a condition to group the two · drag back to the list to remove · Ctrl+G: group · Delete: remove</source>
        <translation>ドラッグでグループへ移動・条件の上に落とすとグループ化・左の一覧へ戻すと削除・Ctrl+G でグループ化・Delete で削除</translation>
    </message>
    <message>
        <source>Undo: {what} (Ctrl+Z)</source>
        <translation>元に戻す: {what} (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Undo (Ctrl+Z)</source>
        <translation>元に戻す (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Redo: {what} (Ctrl+Shift+Z)</source>
        <translation>やり直す: {what} (Ctrl+Shift+Z)</translation>
    </message>
    <message>
        <source>Redo (Ctrl+Shift+Z)</source>
        <translation>やり直す (Ctrl+Shift+Z)</translation>
    </message>
</context>
<context>
    <name>SegmentCommands</name>
    <message>
        <source>Add condition</source>
        <translation>条件を追加</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>移動</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>グループにまとめる</translation>
    </message>
    <message>
        <source>Switch AND/OR</source>
        <translation>すべて/いずれかの切り替え</translation>
    </message>
    <message>
        <source>Switch exclude</source>
        <translation>除外の切り替え</translation>
    </message>
    <message>
        <source>Edit condition</source>
        <translation>条件の変更</translation>
    </message>
    <message>
        <source>Edit text</source>
        <translation>テキストで編集</translation>
    </message>
    <message>
        <source>Open segment</source>
        <translation>セグメントを開く</translation>
    </message>
</context>
<context>
    <name>SendDialog</name>
    <message>
        <source>Send &quot;%1&quot;</source>
        <translation>「%1」を配信</translation>
    </message>
    <message>
        <source>Recipients</source>
        <translation>送信先</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>今月</translation>
    </message>
    <message>
        <source>Extra cost</source>
        <translation>追加料金</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>判定</translation>
    </message>
    <message>
        <source>Your own LINE user IDs (U…), separated by spaces</source>
        <translation>自分のLINEユーザーID（U…）をスペース区切りで</translation>
    </message>
    <message>
        <source>Test send</source>
        <translation>テスト送信</translation>
    </message>
    <message>
        <source>Batches %v / %m</source>
        <translation>送信回数 %v / %m</translation>
    </message>
    <message>
        <source>Friends %v / %m</source>
        <translation>友だち %v / %m人</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>配信する</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <source>%1 friends (%1 messages)</source>
        <translation>%1人（%1通）</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>上限なし</translation>
    </message>
    <message>
        <source>, %1 left after this send</source>
        <translation>、送信後の残り %1通</translation>
    </message>
    <message>
        <source>%1 sent of %2</source>
        <translation>%2通中 %1通送信済み</translation>
    </message>
    <message>
        <source>OK to send</source>
        <translation>送信できます</translation>
    </message>
    <message>
        <source>OK to send (past 80% of the month)</source>
        <translation>送信できます（今月の80%を超えます）</translation>
    </message>
    <message>
        <source>Check the figures before sending</source>
        <translation>送信前に数値を確認してください</translation>
    </message>
    <message>
        <source>Cannot be sent</source>
        <translation>送信できません</translation>
    </message>
    <message>
        <source>Send &quot;%1&quot; to %2 friends? This cannot be undone.</source>
        <translation>「%1」を%2人に送りますか？取り消しはできません。</translation>
    </message>
    <message>
        <source>Connect a LINE channel first (Settings).</source>
        <translation>先にLINEチャネルを接続してください（設定）。</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>送信中…</translation>
    </message>
    <message>
        <source>Pausing after the requests in flight…</source>
        <translation>送信中のリクエストが終わりしだい一時停止します…</translation>
    </message>
    <message>
        <source>Test sent to %1 of %2.</source>
        <translation>%2人中%1人にテスト送信しました。</translation>
    </message>
    <message>
        <source>Campaign name</source>
        <translation>配信名</translation>
    </message>
    <message>
        <source>Give the campaign a name: 配信履歴 lists campaigns by name.</source>
        <translation>配信名を入れてください。配信履歴では配信を名前で一覧にします。</translation>
    </message>
    <message>
        <source>A campaign named "%1" already exists (see 配信履歴). Give this one another name.</source>
        <translation>「%1」という配信はすでにあります（配信履歴を参照）。別の名前を付けてください。</translation>
    </message>
    <message>
        <source>No LINE channel is connected, so nothing can be sent yet. Connect your LINE Official Account first, then send again.</source>
        <translation>LINEのチャネルが接続されていないため、まだ送信できません。先にLINE公式アカウントを接続してから、もう一度送信してください。</translation>
    </message>
    <message>
        <source>Open channel settings</source>
        <translation>チャネル接続の設定を開く</translation>
    </message>
    <message>
        <source>Send to the others</source>
        <translation>値のある友だちだけに送る</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>The new language is used the next time ShopLine starts.</source>
        <translation>新しい言語は次回ShopLineを起動したときに使われます。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <source>General</source>
        <translation>全般</translation>
    </message>
    <message>
        <source>Channel connection</source>
        <translation>チャネル接続</translation>
    </message>
    <message>
        <source>Relay</source>
        <translation>リレー</translation>
    </message>
</context>
<context>
    <name>StickerPicker</name>
    <message>
        <source>Sticker: pick one, or type the IDs from LINE&apos;s sticker list</source>
        <translation>スタンプ: 一覧から選ぶか、LINEのスタンプリストのIDを入力してください</translation>
    </message>
</context>
<context>
    <name>TagFriendsCommand</name>
    <message>
        <source>Remove tag “{tag}” from %n friend(s)</source>
        <translation>%n人の友だちからタグ「{tag}」を外す</translation>
    </message>
    <message>
        <source>Tag %n friend(s) “{tag}”</source>
        <translation>%n人の友だちにタグ「{tag}」を付ける</translation>
    </message>
</context>
<context>
    <name>TagListModel</name>
    <message>
        <source>Tag</source>
        <translation>タグ</translation>
    </message>
    <message>
        <source>Friends</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>All friends</source>
        <translation>すべての友だち</translation>
    </message>
    <message>
        <source>Following friends with the tag; after the slash, all of them, blocked and unfollowed included</source>
        <translation>このタグの友だち(フォロー中)。スラッシュの後は、ブロック・退会した人も含めた全体の人数</translation>
    </message>
    <message>
        <source>{following:,} following friends, {all:,} in all</source>
        <translation>友だち {following:,}人 / 全体 {all:,}人(ブロック・退会を含む)</translation>
    </message>
</context>
<context>
    <name>TagNameDialog</name>
    <message>
        <source>Tag name</source>
        <translation>タグ名</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>フォルダ</translation>
    </message>
    <message>
        <source>A tag with this name already exists.</source>
        <translation>この名前のタグはすでにあります。</translation>
    </message>
</context>
<context>
    <name>TagsPage</name>
    <message>
        <source>New tag…</source>
        <translation>新しいタグ…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>名前を変更…</translation>
    </message>
    <message>
        <source>Colour…</source>
        <translation>色…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>削除…</translation>
    </message>
    <message>
        <source>New tag</source>
        <translation>新しいタグ</translation>
    </message>
    <message>
        <source>Rename tag</source>
        <translation>タグの名前を変更</translation>
    </message>
    <message>
        <source>Merge tags</source>
        <translation>タグをまとめる</translation>
    </message>
    <message>
        <source>Rename folder</source>
        <translation>フォルダの名前を変更</translation>
    </message>
    <message>
        <source>Folder name</source>
        <translation>フォルダ名</translation>
    </message>
    <message>
        <source>Colour of “{tag}”</source>
        <translation>「{tag}」の色</translation>
    </message>
    <message numerus="yes">
        <source>Delete the tag “{tag}”? It is removed from %n friend(s); the friends themselves stay.</source>
        <translation>
            <numerusform>タグ「{tag}」を削除しますか?%n人の友だちからこのタグが外れます(友だちは削除されません)。</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete tag</source>
        <translation>タグを削除</translation>
    </message>
</context>
<context>
    <name>TargetChooser</name>
    <message>
        <source>e.g. VIP AND region = 東京都</source>
        <translation>例: VIP AND region = 東京都</translation>
    </message>
    <message>
        <source>Recipients:</source>
        <translation>配信対象:</translation>
    </message>
    <message>
        <source>Choose a segment…</source>
        <translation>セグメントを選ぶ…</translation>
    </message>
    <message>
        <source>Type a condition…</source>
        <translation>条件を入力…</translation>
    </message>
    <message>
        <source>All friends</source>
        <translation>すべての友だち</translation>
    </message>
</context>
<context>
    <name>TemplateModel</name>
    <message>
        <source>{n} bubble(s), saved {when}</source>
        <translation>吹き出し{n}つ、{when}に保存</translation>
    </message>
</context>
<context>
    <name>TemplatesPanel</name>
    <message>
        <source>Save as template…</source>
        <translation>テンプレートとして保存…</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>使う</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>名前を変更…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>テンプレート</translation>
    </message>
    <message>
        <source>Template name:</source>
        <translation>テンプレート名:</translation>
    </message>
    <message>
        <source>Save as template</source>
        <translation>テンプレートとして保存</translation>
    </message>
    <message>
        <source>Rename template</source>
        <translation>テンプレートの名前を変更</translation>
    </message>
    <message>
        <source>Delete template</source>
        <translation>テンプレートを削除</translation>
    </message>
    <message>
        <source>Delete the template &quot;{}&quot;?</source>
        <translation>テンプレート「{}」を削除しますか?</translation>
    </message>
</context>
<context>
    <name>TextBar</name>
    <message>
        <source>e.g. VIP AND (region = 東京都 OR age &gt;= 30) AND NOT 休眠</source>
        <translation>例: VIP AND (region = 東京都 OR age &gt;= 30) AND NOT 休眠</translation>
    </message>
    <message>
        <source>Segment as text</source>
        <translation>セグメントのテキスト</translation>
    </message>
    <message>
        <source>Problem at character {n}</source>
        <translation>{n}文字目に問題があります</translation>
    </message>
</context>
<context>
    <name>TextEditor</name>
    <message>
        <source>Write the message here.</source>
        <translation>ここにメッセージを書いてください。</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>テキスト</translation>
    </message>
    <message>
        <source>Insert placeholder</source>
        <translation>差し込み</translation>
    </message>
    <message>
        <source>Display name</source>
        <translation>表示名</translation>
    </message>
    <message>
        <source>Display name, or お客様 when there is none</source>
        <translation>表示名(ない人は「お客様」)</translation>
    </message>
    <message>
        <source>Personal: each friend gets their own text, one message each.</source>
        <translation>個別配信: 友だちごとに差し込んだ文を1通ずつ送ります。</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Welcome to ShopLine</source>
        <translation>ShopLineへようこそ</translation>
    </message>
    <message>
        <source>Manage your LINE official account&apos;s friends and tags on this computer.
Start by bringing in your friends, or try the app with a demo shop.</source>
        <translation>LINE公式アカウントの友だちとタグを、このパソコンで管理します。
まず友だちを読み込むか、デモショップで試してみてください。</translation>
    </message>
    <message>
        <source>Connect channel</source>
        <translation>チャネルを接続</translation>
    </message>
    <message>
        <source>Paste your channel access token and bring in your friends from LINE</source>
        <translation>チャネルアクセストークンを貼り付けて、LINEから友だちを取り込みます</translation>
    </message>
    <message>
        <source>Import CSV</source>
        <translation>CSVを読み込む</translation>
    </message>
    <message>
        <source>A CSV exported from LINE Official Account Manager or Excel</source>
        <translation>LINE公式アカウントの管理画面やExcelで書き出したCSVファイル</translation>
    </message>
    <message>
        <source>Open demo shop</source>
        <translation>デモショップを開く</translation>
    </message>
    <message>
        <source>{n:,} made-up friends with tags, clearly marked as demo data</source>
        <translation>タグ付きの架空の友だち{n:,}人(デモデータと明記されます)</translation>
    </message>
    <message>
        <source>Creating the demo shop…</source>
        <translation>デモショップを作成しています…</translation>
    </message>
    <message>
        <source>{n:,} made-up friends with tags, in a window and a data folder of their own: your shop's data stays empty until you add to it</source>
        <translation>架空の友だち{n:,}人とタグ。別のウィンドウ・別のデータフォルダで開くので、お店のデータには混ざりません</translation>
    </message>
    <message>
        <source>The demo shop could not be started. Try again, or start ShopLine with --demo.</source>
        <translation>デモショップを起動できませんでした。もう一度試すか、ShopLine を --demo つきで起動してください。</translation>
    </message>
</context>
<context>
    <name>Palette</name>
    <message>
        <source>Drag a tag or condition onto the canvas (or select it and press Enter). Drag a condition back here to remove it.</source>
        <translation>タグや条件を右へドラッグします(選んで Enter でも追加)。右の条件をここへ戻すと削除します。</translation>
    </message>
</context>
<context>
    <name>AppActions</name>
    <message>
        <source>Import CSV…</source>
        <translation>CSVを読み込む…</translation>
    </message>
    <message>
        <source>Add or update friends from a CSV file</source>
        <translation>CSVファイルから友だちを追加・更新します</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSVに書き出す…</translation>
    </message>
    <message>
        <source>Write all friends, their tags and fields to a CSV file</source>
        <translation>すべての友だちとタグ・項目をCSVファイルに書き出します</translation>
    </message>
    <message>
        <source>Remove demo data…</source>
        <translation>デモデータを削除…</translation>
    </message>
    <message>
        <source>Delete the demo shop's made-up friends, tags and fields</source>
        <translation>デモショップの架空の友だち・タグ・項目を削除します</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>終了</translation>
    </message>
    <message>
        <source>About ShopLine</source>
        <translation>ShopLineについて</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <source>The demo data is in this shop now. Remove the demo before bringing in your friends?</source>
        <translation>いまはデモデータが入っています。デモを削除してから読み込みますか?</translation>
    </message>
    <message>
        <source>If you keep it, the made-up friends stay mixed with your real ones.</source>
        <translation>そのまま読み込むと、架空の友だちが本物の友だちと混ざったままになります。</translation>
    </message>
    <message>
        <source>Remove demo, then import</source>
        <translation>削除して読み込む</translation>
    </message>
    <message>
        <source>Import as it is</source>
        <translation>そのまま読み込む</translation>
    </message>
    <message>
        <source>CSV, UTF-8 (Excel opens it; keeps every character) (*.csv)</source>
        <translation>CSV UTF-8(Excelで開けます。すべての文字を保てます) (*.csv)</translation>
    </message>
    <message>
        <source>CSV, Shift_JIS (for older software) (*.csv)</source>
        <translation>CSV Shift_JIS(古いソフト向け) (*.csv)</translation>
    </message>
    <message>
        <source>friends</source>
        <translation>友だち</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSVに書き出す</translation>
    </message>
    <message>
        <source>Exporting friends to {name}…</source>
        <translation>友だちを {name} に書き出しています…</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n friend(s) to {path}</source>
        <translation>
            <numerusform>%n人の友だちを {path} に書き出しました</numerusform>
        </translation>
    </message>
    <message>
        <source>There is no demo data in this shop.</source>
        <translation>デモデータはありません。</translation>
    </message>
    <message numerus="yes">
        <source>Remove the demo shop? %n made-up friend(s) are deleted, with the demo's tags and fields ({tags} tags, {fields} fields). Friends, tags and fields you added yourself stay.</source>
        <translation>
            <numerusform>デモショップを削除しますか?架空の友だち%n人と、デモのタグ{tags}個・項目{fields}個を削除します。あなたが追加した友だち・タグ・項目はそのまま残ります。</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove demo data</source>
        <translation>デモデータを削除</translation>
    </message>
    <message numerus="yes">
        <source>Removed the demo: %n made-up friend(s).</source>
        <translation>
            <numerusform>デモを削除しました(架空の友だち%n人)。</numerusform>
        </translation>
    </message>
    <message>
        <source>ShopLine {version}
Friends, tags and messages of your LINE Official Account, on this computer.</source>
        <translation>ShopLine {version}
LINE公式アカウントの友だち・タグ・メッセージを、このパソコンで管理します。</translation>
    </message>
    <message numerus="yes">
        <source>Remove the demo shop? %n made-up friend(s) are deleted, with the demo's tags and fields ({tags} tags, {fields} fields), its {purchases} purchase lines and its paused sample scenario ({scenarios}). Friends, tags, fields, purchases and scenarios you added yourself stay.</source>
        <translation>
            <numerusform>デモショップを削除しますか?架空の友だち%n人と、デモのタグ{tags}個・項目{fields}個・購入データ{purchases}行・一時停止中のサンプルのシナリオ{scenarios}個を削除します。あなたが追加した友だち・タグ・項目・購入データ・シナリオはそのまま残ります。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SegmentFields</name>
    <message>
        <source>Gender</source>
        <translation>性別</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>年齢</translation>
    </message>
    <message>
        <source>Birth month</source>
        <translation>誕生月</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地域</translation>
    </message>
    <message>
        <source>Friend days</source>
        <translation>友だち日数</translation>
    </message>
    <message>
        <source>Days since last reaction</source>
        <translation>最終反応日数</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>登録経路</translation>
    </message>
    <message>
        <source>Purchases</source>
        <translation>購入回数</translation>
    </message>
    <message>
        <source>Amount spent</source>
        <translation>購入金額</translation>
    </message>
    <message>
        <source>Days since last purchase</source>
        <translation>最終購入からの日数</translation>
    </message>
    <message>
        <source>Days since a date</source>
        <translation>経過日数</translation>
    </message>
    <message>
        <source>RFM group</source>
        <translation>RFMグループ</translation>
    </message>
    <message>
        <source>RFM recency score</source>
        <translation>RFM R(最近)</translation>
    </message>
    <message>
        <source>RFM frequency score</source>
        <translation>RFM F(頻度)</translation>
    </message>
    <message>
        <source>RFM monetary score</source>
        <translation>RFM M(金額)</translation>
    </message>
    <message>
        <source>Campaigns received</source>
        <translation>受信した配信</translation>
    </message>
    <message>
        <source>Link clicks</source>
        <translation>リンクのクリック</translation>
    </message>
</context>
<context>
    <name>UrlClicksChart</name>
    <message>
        <source>Unique clicks</source>
        <translation>クリックした人</translation>
    </message>
</context>
<context>
    <name>TrendChart</name>
    <message>
        <source>Friends</source>
        <translation>友だち数</translation>
    </message>
    <message>
        <source>Targeted reach</source>
        <translation>ターゲットリーチ</translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation>ブロック数</translation>
    </message>
    <message>
        <source>Sends</source>
        <translation>配信</translation>
    </message>
</context>
<context>
    <name>CampaignModel</name>
    <message>
        <source>Campaign</source>
        <translation>配信</translation>
    </message>
    <message>
        <source>Sent on</source>
        <translation>送信日</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>送信数</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>開封</translation>
    </message>
    <message>
        <source>Open rate</source>
        <translation>開封率</translation>
    </message>
    <message>
        <source>Clicked</source>
        <translation>クリック</translation>
    </message>
    <message>
        <source>Click rate</source>
        <translation>クリック率</translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation>ブロック</translation>
    </message>
    <message>
        <source>Conversions</source>
        <translation>CV</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>費用</translation>
    </message>
    <message>
        <source>Fetched</source>
        <translation>取得</translation>
    </message>
    <message>
        <source>Final: LINE no longer changes these figures (14 days after the send)</source>
        <translation>確定: 送信から14日たち、LINEの数字はもう変わりません</translation>
    </message>
    <message>
        <source>LINE counts this send only together with the others of its step (the same aggregation unit): choose it to see their combined figures below</source>
        <translation>LINEはこの配信をステップの他の配信（同じ集計単位）とまとめて数えます。選ぶと、下に合計が出ます。</translation>
    </message>
</context>
<context>
    <name>CampaignDetail</name>
    <message>
        <source>Sent</source>
        <translation>送信数</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>開封した人</translation>
    </message>
    <message>
        <source>Open rate (opened ÷ sent)</source>
        <translation>開封率（開封÷送信）</translation>
    </message>
    <message>
        <source>Clicked</source>
        <translation>クリックした人</translation>
    </message>
    <message>
        <source>Click rate (clicked ÷ sent)</source>
        <translation>クリック率（クリック÷送信）</translation>
    </message>
    <message>
        <source>Click-through (clicked ÷ opened)</source>
        <translation>クリック率（クリック÷開封）</translation>
    </message>
    <message>
        <source>Blocks within 7 days</source>
        <translation>送信後7日のブロック</translation>
    </message>
    <message>
        <source>Conversions</source>
        <translation>コンバージョン</translation>
    </message>
    <message>
        <source>Conversion rate</source>
        <translation>コンバージョン率</translation>
    </message>
    <message>
        <source>Cost of the send</source>
        <translation>送信の費用</translation>
    </message>
    <message>
        <source>Revenue and ROI</source>
        <translation>売上とROI</translation>
    </message>
    <message>
        <source>Open rate</source>
        <translation>開封率</translation>
    </message>
    <message>
        <source>Click rate</source>
        <translation>クリック率</translation>
    </message>
    <message>
        <source>met</source>
        <translation>達成</translation>
    </message>
    <message>
        <source>missed</source>
        <translation>未達</translation>
    </message>
    <message>
        <source>not known yet</source>
        <translation>まだ不明</translation>
    </message>
    <message>
        <source>%1: target %2, actual %3 (%4)</source>
        <translation>%1: 目標 %2、実績 %3（%4）</translation>
    </message>
</context>
<context>
    <name>CampaignsTab</name>
    <message>
        <source>Results appear here once a campaign has been sent: how many opened it, clicked its links, blocked the account afterwards, and what it cost.</source>
        <translation>配信を送ると、ここに結果が出ます。開封した人、リンクをクリックした人、送信後にブロックした人、送信にかかった費用です。</translation>
    </message>
    <message>
        <source>Show all campaigns</source>
        <translation>すべての配信を表示</translation>
    </message>
</context>
<context>
    <name>CrossView</name>
    <message>
        <source>Counts</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>% of row</source>
        <translation>行に対する割合</translation>
    </message>
    <message>
        <source>% of column</source>
        <translation>列に対する割合</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>集計</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSVに書き出す…</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Within</source>
        <translation>対象</translation>
    </message>
    <message>
        <source>All friends</source>
        <translation>すべての友だち</translation>
    </message>
    <message>
        <source>%1 friends counted</source>
        <translation>%1人を集計しました</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSVに書き出す</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>%1 に書き出せませんでした: %2</translation>
    </message>
    <message>
        <source>Written to %1</source>
        <translation>%1 に書き出しました</translation>
    </message>
</context>
<context>
    <name>ResultsPage</name>
    <message>
        <source>Fetch from LINE</source>
        <translation>LINEから取得</translation>
    </message>
    <message>
        <source>LINE allows 60 of these requests an hour; figures are final 14 days after a send and are not fetched again</source>
        <translation>LINEへのこの問い合わせは1時間に60回までです。送信から14日たった数字は確定し、もう取得しません</translation>
    </message>
    <message>
        <source>Campaign results</source>
        <translation>配信結果</translation>
    </message>
    <message>
        <source>Friends over time</source>
        <translation>友だち数の推移</translation>
    </message>
    <message>
        <source>Cross analysis</source>
        <translation>クロス分析</translation>
    </message>
    <message>
        <source>Delivery history</source>
        <translation>配信履歴</translation>
    </message>
    <message>
        <source>No days fetched yet: press Fetch from LINE. The last 30 days are fetched a few at a time, within LINE's hourly limit.</source>
        <translation>まだ取得した日がありません。「LINEから取得」を押してください。直近30日分を、LINEの1時間あたりの上限内で少しずつ取得します。</translation>
    </message>
    <message>
        <source>Dots mark the days campaigns were sent. LINE counts a day about a day late.</source>
        <translation>点は配信を送った日です。LINEの集計はおよそ1日遅れです。</translation>
    </message>
    <message>
        <source>Nothing fetched from LINE yet.</source>
        <translation>まだLINEから取得していません。</translation>
    </message>
    <message>
        <source>Figures as fetched from LINE at %1. Shown offline until fetched again.</source>
        <translation>%1 にLINEから取得した数字です。次に取得するまで、この数字を表示します。</translation>
    </message>
    <message>
        <source>Connect a LINE channel first (Settings).</source>
        <translation>先にLINEのチャネルに接続してください（設定）。</translation>
    </message>
    <message>
        <source>A/B tests</source>
        <translation>A/Bテスト</translation>
    </message>
</context>
<context>
    <name>ScenarioForm</name>
    <message>
        <source>When a friend is added</source>
        <translation>友だち追加のとき</translation>
    </message>
    <message>
        <source>When a tag is added</source>
        <translation>タグが付いたとき</translation>
    </message>
    <message>
        <source>When a friend starts matching a segment</source>
        <translation>セグメントに入ったとき</translation>
    </message>
    <message>
        <source>On a date (birthday…)</source>
        <translation>日付(誕生日など)</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 日</translation>
    </message>
    <message>
        <source>Every year</source>
        <translation>毎年</translation>
    </message>
    <message>
        <source>Optional: a segment, e.g. NOT Staff</source>
        <translation>任意: セグメント(例: NOT スタッフ)</translation>
    </message>
    <message>
        <source>Optional: a segment, e.g. Purchased</source>
        <translation>任意: セグメント(例: 購入済み)</translation>
    </message>
    <message>
        <source>Only between</source>
        <translation>この間だけ送る</translation>
    </message>
    <message>
        <source>After</source>
        <translation>待ち時間</translation>
    </message>
    <message>
        <source>At</source>
        <translation>時刻</translation>
    </message>
    <message>
        <source>If</source>
        <translation>条件</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <source>Else</source>
        <translation>条件外のとき</translation>
    </message>
    <message>
        <source>Add step</source>
        <translation>ステップを追加</translation>
    </message>
    <message>
        <source>Remove step</source>
        <translation>ステップを削除</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation>開始のきっかけ</translation>
    </message>
    <message>
        <source>Who may enter</source>
        <translation>対象</translation>
    </message>
    <message>
        <source>Stop when</source>
        <translation>停止条件</translation>
    </message>
    <message>
        <source>Sending hours</source>
        <translation>送信時間帯</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>タグ</translation>
    </message>
    <message>
        <source>Segment, e.g. VIP</source>
        <translation>セグメント(例: VIP)</translation>
    </message>
    <message>
        <source>birthday, or a date field</source>
        <translation>birthday か日付の項目</translation>
    </message>
</context>
<context>
    <name>ScenariosPage</name>
    <message>
        <source>New scenario</source>
        <translation>新しいシナリオ</translation>
    </message>
    <message>
        <source>Import JSON…</source>
        <translation>JSONを読み込む…</translation>
    </message>
    <message>
        <source>Export JSON…</source>
        <translation>JSONに書き出す…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>削除…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>再開</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>ステップ</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>待ち</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>送信</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>見送り</translation>
    </message>
    <message>
        <source>Not for them</source>
        <translation>対象外</translation>
    </message>
    <message>
        <source>When</source>
        <translation>いつ</translation>
    </message>
    <message>
        <source>Friends</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <source>The next 30 days</source>
        <translation>これから30日の予定</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>配信中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>一時停止中</translation>
    </message>
    <message>
        <source>Paused: month's limit</source>
        <translation>上限で停止中</translation>
    </message>
    <message>
        <source>Paused: check the token</source>
        <translation>トークン要確認で停止中</translation>
    </message>
    <message>
        <source>%1: %2 entered, %3 in progress, %4 done, %5 stopped, %6 missed (over 24 hours late)</source>
        <translation>%1: 開始 %2人、進行中 %3人、完了 %4人、停止 %5人、見送り %6人(24時間以上遅れ)</translation>
    </message>
    <message>
        <source>Delete the scenario "%1"? Friends waiting in it get no more of its steps.</source>
        <translation>シナリオ「%1」を削除しますか?待っている友だちには、この先のステップは送られません。</translation>
    </message>
    <message>
        <source>Import scenario</source>
        <translation>シナリオを読み込む</translation>
    </message>
    <message>
        <source>Export scenario</source>
        <translation>シナリオを書き出す</translation>
    </message>
    <message>
        <source>Double-click a step to see its results</source>
        <translation>ステップをダブルクリックすると、その結果を見られます</translation>
    </message>
    <message>
        <source>Step results</source>
        <translation>ステップの結果</translation>
    </message>
    <message>
        <source>Step %1 has not been sent to anyone yet, so it has no results.</source>
        <translation>ステップ%1はまだ誰にも送っていないため、結果はありません。</translation>
    </message>
    <message>
        <source>Scenarios</source>
        <translation>シナリオ</translation>
    </message>
    <message>
        <source>Scheduled sends</source>
        <translation>予約配信</translation>
    </message>
    <message>
        <source>Open rate</source>
        <translation>開封率</translation>
    </message>
    <message>
        <source>Not fetched</source>
        <translation>未取得</translation>
    </message>
    <message>
        <source>Press Fetch from LINE on Results to get the step's figures</source>
        <translation>効果測定の「LINEから取得」で、このステップの数字を取得できます</translation>
    </message>
    <message>
        <source>Opened %1 of %2 sent, over %3 sends from %4 to %5 (LINE's figures)</source>
        <translation>%4〜%5の%3回の配信で、送信%2人のうち開封%1（LINEの集計）</translation>
    </message>
</context>
<context>
    <name>DueTimer</name>
    <message>
        <source>Scheduled, recurring and scenario sends expected for the rest of the month</source>
        <translation>今月この先に予定されている予約・定期・シナリオ配信の通数</translation>
    </message>
    <message>
        <source>Automations</source>
        <translation>自動配信</translation>
    </message>
    <message>
        <source>Automations: about %1 more this month</source>
        <translation>自動配信 今月あと約%1通</translation>
    </message>
</context>
<context>
    <name>PreviewAs</name>
    <message>
        <source>As written</source>
        <translation>書いたまま</translation>
    </message>
    <message>
        <source>Random friend</source>
        <translation>ランダムな友だち</translation>
    </message>
    <message>
        <source>Preview as:</source>
        <translation>プレビュー:</translation>
    </message>
    <message>
        <source>This friend has no value for %1: the text cannot be sent to them as it is.</source>
        <translation>この友だちには %1 の値がありません。このままではこの友だちに送れません。</translation>
    </message>
</context>
<context>
    <name>RelayTab</name>
    <message>
        <source>The SHOPLINE_RELAY_KEY set on Cloudflare</source>
        <translation>Cloudflare に設定した SHOPLINE_RELAY_KEY</translation>
    </message>
    <message>
        <source>Connection test</source>
        <translation>接続テスト</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>接続</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>切断</translation>
    </message>
    <message>
        <source>Set the webhook URL on LINE</source>
        <translation>LINEにWebhook URLを設定</translation>
    </message>
    <message>
        <source>Points the connected LINE channel's webhook at this relay and asks LINE to test it</source>
        <translation>接続中のLINEチャネルのWebhook URLをこの中継サーバーにして、LINEに接続確認をしてもらいます</translation>
    </message>
    <message>
        <source>Relay (LINE webhook)</source>
        <translation>中継サーバー（LINEのWebhook）</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>キー</translation>
    </message>
    <message>
        <source>No relay is connected.</source>
        <translation>中継サーバーは接続されていません。</translation>
    </message>
    <message>
        <source>never</source>
        <translation>まだありません</translation>
    </message>
    <message>
        <source>Connected to %1. Last pull: %2. Events waiting: %3.</source>
        <translation>%1 に接続中。最後の取り込み: %2。取り込み待ち: %3 件。</translation>
    </message>
    <message>
        <source>Something went wrong: %1</source>
        <translation>問題が起きました: %1</translation>
    </message>
    <message>
        <source>Relay connection test</source>
        <translation>中継サーバーの接続テスト</translation>
    </message>
    <message>
        <source>Connect the relay</source>
        <translation>中継サーバーに接続</translation>
    </message>
    <message>
        <source>Connected. New friends, blocks, messages and postbacks are pulled every minute while ShopLine is open.</source>
        <translation>接続しました。ShopLineを開いている間、新しい友だち・ブロック・メッセージ・ボタン操作を1分ごとに取り込みます。</translation>
    </message>
    <message>
        <source>Disconnect the relay</source>
        <translation>中継サーバーの接続を解除</translation>
    </message>
    <message>
        <source>Disconnect from %1? Its key is removed from this computer; to connect again you need the key from Cloudflare.</source>
        <translation>%1 との接続を解除しますか？ キーはこのパソコンから削除されます。もう一度つなぐには Cloudflare のキーが必要です。</translation>
    </message>
    <message>
        <source>The relay is disconnected. Its events stay on the relay until you connect again.</source>
        <translation>中継サーバーの接続を解除しました。イベントは次に接続するまで中継サーバーに残ります。</translation>
    </message>
    <message>
        <source>LINE's webhook URL is now %1 and LINE's test reached the relay. Turn on "Use webhook" in the LINE Developers console.</source>
        <translation>LINEのWebhook URLを %1 に設定し、LINEからの接続確認も中継サーバーに届きました。LINE Developers コンソールで「Webhookの利用」をオンにしてください。</translation>
    </message>
    <message>
        <source>LINE's webhook URL is now %1, but LINE's test failed (%2). Check that the relay's LINE_CHANNEL_SECRET is this channel's secret.</source>
        <translation>LINEのWebhook URLを %1 に設定しましたが、LINEからの接続確認は失敗しました（%2）。中継サーバーの LINE_CHANNEL_SECRET がこのチャネルのチャネルシークレットか確かめてください。</translation>
    </message>
</context>
<context>
    <name>InboxTimer</name>
    <message>
        <source>Relay events</source>
        <translation>中継サーバーのイベント</translation>
    </message>
</context>
<context>
    <name>PurchaseTimeline</name>
    <message>
        <source>Date</source>
        <translation>日付</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金額</translation>
    </message>
    <message>
        <source>Purchases</source>
        <translation>購入・来店</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>来店</translation>
    </message>
    <message>
        <source>¥{amount}</source>
        <translation>¥{amount}</translation>
    </message>
    <message>
        <source>No purchases or visits yet.</source>
        <translation>購入・来店はまだありません。</translation>
    </message>
    <message numerus="yes">
        <source>%n purchase(s), ¥{spent} in total, last on {last}</source>
        <translation>
            <numerusform>%n件、合計 ¥{spent}、最終 {last}</numerusform>
        </translation>
    </message>
    <message>
        <source> (RFM: {group})</source>
        <translation>(RFM: {group})</translation>
    </message>
</context>
<context>
    <name>ABTestDialog</name>
    <message>
        <source>A/B test</source>
        <translation>A/Bテスト</translation>
    </message>
    <message>
        <source>A: this message</source>
        <translation>A: このメッセージ</translation>
    </message>
    <message>
        <source>Test on part of the segment and keep the rest for the winner</source>
        <translation>一部の友だちでテストし、残りは勝ちパターン用に取っておく</translation>
    </message>
    <message>
        <source>Click rate</source>
        <translation>クリック率</translation>
    </message>
    <message>
        <source>Open rate</source>
        <translation>開封率</translation>
    </message>
    <message>
        <source>Conversion rate (a tag within N days)</source>
        <translation>コンバージョン率(N日以内のタグ)</translation>
    </message>
    <message>
        <source>Tag that counts as a conversion, e.g. 購入済み</source>
        <translation>コンバージョンとみなすタグ(例: 購入済み)</translation>
    </message>
    <message>
        <source>Create test</source>
        <translation>テストを作成</translation>
    </message>
    <message>
        <source>Send the variants</source>
        <translation>各パターンを送る</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <source>Test name</source>
        <translation>テスト名</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>パターン</translation>
    </message>
    <message>
        <source>Who is tested</source>
        <translation>テストする人</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比べる数字</translation>
    </message>
    <message>
        <source>Conversion</source>
        <translation>コンバージョン</translation>
    </message>
    <message>
        <source>Usual rate</source>
        <translation>いつもの率</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(なし)</translation>
    </message>
    <message>
        <source>Template: %1</source>
        <translation>テンプレート: %1</translation>
    </message>
    <message>
        <source>Save the other variants as templates first (Templates, on the left of the Messages page).</source>
        <translation>比べるパターンを先にテンプレートとして保存してください(メッセージ画面の左のテンプレート)。</translation>
    </message>
    <message>
        <source>Choose at least one template to test against this message.</source>
        <translation>このメッセージと比べるテンプレートを1つ以上選んでください。</translation>
    </message>
    <message>
        <source>Connect a LINE channel first (Settings).</source>
        <translation>先にLINEチャネルを接続してください(設定)。</translation>
    </message>
    <message>
        <source>This message</source>
        <translation>このメッセージ</translation>
    </message>
    <message>
        <source>Checking the messages and freezing the groups…</source>
        <translation>メッセージを確認し、グループを確定しています…</translation>
    </message>
    <message>
        <source>Created. Nothing has been sent yet: press Send the variants when ready.</source>
        <translation>作成しました。まだ何も送っていません。準備ができたら「各パターンを送る」を押してください。</translation>
    </message>
    <message>
        <source>Sent: %1 / not sent: %2 / pending: %3</source>
        <translation>送信済み %1人 / 送れず %2人 / 未送信 %3人</translation>
    </message>
    <message>
        <source>Results are on the Results page, A/B tests tab.</source>
        <translation>結果は効果測定の「A/Bテスト」タブで見られます。</translation>
    </message>
</context>
<context>
    <name>ABTestPanel</name>
    <message>
        <source>Variant</source>
        <translation>パターン</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>送信</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>率</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>95%区間</translation>
    </message>
    <message>
        <source>Send the variants</source>
        <translation>各パターンを送る</translation>
    </message>
    <message>
        <source>Send to the rest</source>
        <translation>残りに送る</translation>
    </message>
    <message>
        <source>No A/B tests yet. Make one from the Messages page: A/B test…</source>
        <translation>A/Bテストはまだありません。メッセージ画面の「A/Bテスト…」から作れます。</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>未送信</translation>
    </message>
    <message>
        <source>Not fetched</source>
        <translation>未取得</translation>
    </message>
    <message>
        <source>Fewer than 20 (not yet measurable)</source>
        <translation>20人未満(まだ測れません)</translation>
    </message>
    <message>
        <source>everyone</source>
        <translation>全員</translation>
    </message>
    <message>
        <source>%1: comparing %2 (tested: %3, random seed %4)</source>
        <translation>%1: %2で比較(テスト: %3、乱数シード %4)</translation>
    </message>
    <message>
        <source>%1 goes to the %2 held back (%3).</source>
        <translation>残りの%2人には%1を送ります(%3)。</translation>
    </message>
    <message>
        <source>%1 friends are held back for the winner.</source>
        <translation>%1人を勝ちパターン用に取っておいています。</translation>
    </message>
    <message>
        <source>Everyone was tested: nobody is held back.</source>
        <translation>全員でテストしたため、残りの友だちはいません。</translation>
    </message>
    <message>
        <source>A/B test</source>
        <translation>A/Bテスト</translation>
    </message>
    <message>
        <source>Connect a LINE channel first (Settings).</source>
        <translation>先にLINEチャネルを接続してください(設定)。</translation>
    </message>
    <message>
        <source>Sent: %1 / not sent: %2 / pending: %3</source>
        <translation>送信済み %1人 / 送れず %2人 / 未送信 %3人</translation>
    </message>
</context>
<context>
    <name>CampaignClicks</name>
    <message>
        <source>Who clicked (tracked links)</source>
        <translation>クリックした友だち(追跡リンク)</translation>
    </message>
    <message>
        <source>Send to those who clicked</source>
        <translation>クリックした人に送る</translation>
    </message>
    <message>
        <source>Send to those who did not click</source>
        <translation>クリックしなかった人に送る</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSVに書き出す…</translation>
    </message>
    <message>
        <source>Friend</source>
        <translation>友だち</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>リンク</translation>
    </message>
    <message>
        <source>Clicks</source>
        <translation>クリック数</translation>
    </message>
    <message>
        <source>Last click</source>
        <translation>最後のクリック</translation>
    </message>
    <message>
        <source>No clicks on this campaign's tracked links yet. Links are tracked when a relay is connected.</source>
        <translation>この配信の追跡リンクはまだクリックされていません。リンクは中継サーバーを接続しているときに追跡されます。</translation>
    </message>
    <message>
        <source>Made the segment "%1": choose it as the recipients on the Messages page.</source>
        <translation>セグメント「%1」を作りました。メッセージ画面で宛先に選べます。</translation>
    </message>
    <message>
        <source>Export clicks</source>
        <translation>クリックを書き出す</translation>
    </message>
    <message>
        <source>Exported %1 rows to %2.</source>
        <translation>%1行を %2 に書き出しました。</translation>
    </message>
</context>
<context>
    <name>FriendCampaigns</name>
    <message>
        <source>received</source>
        <translation>受信</translation>
    </message>
    <message>
        <source>not sent yet</source>
        <translation>未送信</translation>
    </message>
    <message>
        <source>clicked %1× %2</source>
        <translation>%1回クリック %2</translation>
    </message>
    <message>
        <source>No campaigns sent to this friend yet</source>
        <translation>この友だちにはまだ配信していません</translation>
    </message>
</context>
<context>
    <name>PurchasesPage</name>
    <message>
        <source>Import purchases…</source>
        <translation>購入データを読み込む…</translation>
    </message>
    <message>
        <source>Friends</source>
        <translation>友だち</translation>
    </message>
    <message>
        <source>Friends per RFM group</source>
        <translation>RFMグループごとの友だち</translation>
    </message>
    <message>
        <source>Import purchases</source>
        <translation>購入データを読み込む</translation>
    </message>
    <message>
        <source>CSV files (*.csv *.txt)</source>
        <translation>CSVファイル (*.csv *.txt)</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>読み込んでいます…</translation>
    </message>
</context>
<context>
    <name>GoalEditor</name>
    <message>
        <source>Goals and conversions</source>
        <translation>目標とコンバージョン</translation>
    </message>
    <message>
        <source>A recipient who gains this tag within the days below counts as a conversion</source>
        <translation>送信後、下の日数以内にこのタグが付いた友だちをコンバージョンとして数えます</translation>
    </message>
    <message>
        <source>A purchase within</source>
        <translation>購入（送信後）</translation>
    </message>
    <message>
        <source> days</source>
        <translation>日以内</translation>
    </message>
    <message>
        <source>No target</source>
        <translation>目標なし</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>(no tag)</source>
        <translation>（タグなし）</translation>
    </message>
    <message>
        <source>Tag gained</source>
        <translation>付いたタグ</translation>
    </message>
    <message>
        <source>within</source>
        <translation>期間（送信後）</translation>
    </message>
    <message>
        <source>Open target</source>
        <translation>開封率の目標</translation>
    </message>
    <message>
        <source>Click target</source>
        <translation>クリック率の目標</translation>
    </message>
    <message>
        <source>Conversion target</source>
        <translation>CV率の目標</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>保存しました</translation>
    </message>
</context>
<context>
    <name>ScheduledSends</name>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Next time</source>
        <translation>次回</translation>
    </message>
    <message>
        <source>Repeats</source>
        <translation>繰り返し</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>セグメント</translation>
    </message>
    <message>
        <source>Recipients now</source>
        <translation>今の宛先数</translation>
    </message>
    <message>
        <source>Cancel the send…</source>
        <translation>キャンセル…</translation>
    </message>
    <message>
        <source>No scheduled sends. Schedule one with `shopline send … --at` or --every.</source>
        <translation>予約配信はありません。`shopline send … --at` または --every で予約できます。</translation>
    </message>
    <message>
        <source>Scheduled sends</source>
        <translation>予約配信</translation>
    </message>
    <message>
        <source>Once</source>
        <translation>1回</translation>
    </message>
    <message>
        <source>%1 friends</source>
        <translation>%1人</translation>
    </message>
    <message>
        <source>Cancel the scheduled send "%1"? It will not be sent.</source>
        <translation>予約配信「%1」をキャンセルしますか？送信されなくなります。</translation>
    </message>
    <message>
        <source>Change the time</source>
        <translation>日時を変更</translation>
    </message>
</context>
<context>
    <name>AutoRunSwitch</name>
    <message>
        <source>Send scheduled and scenario messages even when ShopLine is closed</source>
        <translation>ShopLineを閉じていても予約配信・シナリオを送る(5分ごとに自動実行)</translation>
    </message>
</context>
<context>
    <name>ArgEditors</name>
    <message>
        <source>Any item</source>
        <translation>すべての商品</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>全期間</translation>
    </message>
    <message>
        <source>last </source>
        <translation>直近 </translation>
    </message>
    <message>
        <source> days</source>
        <translation>日</translation>
    </message>
    <message>
        <source>Friend added</source>
        <translation>友だち追加日</translation>
    </message>
    <message>
        <source>The date to count the days from</source>
        <translation>日数を数える起点の日付</translation>
    </message>
    <message>
        <source>Count only this item (its exact name); empty counts every order</source>
        <translation>この商品だけを数えます(商品名が完全に一致するもの)。空欄ならすべての注文を数えます</translation>
    </message>
    <message>
        <source>Only the last N days; 0 means all time</source>
        <translation>直近N日間だけ。0 なら全期間</translation>
    </message>
</context>
<context>
    <name>PurchaseImportDialog</name>
    <message>
        <source>Import purchases</source>
        <translation>購入データを読み込む</translation>
    </message>
    <message>
        <source>ID link: member numbers are in the friend field</source>
        <translation>ID連携: 会員番号が入っている友だち情報の項目</translation>
    </message>
    <message>
        <source>The friend field holding the member numbers the file's customer column gives. It is remembered for the next imports.</source>
        <translation>ファイルのお客様の列にある会員番号が入っている友だち情報の項目です。次回の読み込みでも使われます。</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>取り込む</translation>
    </message>
    <message>
        <source>None (match by LINE user ID)</source>
        <translation>なし(LINEユーザーIDで照合)</translation>
    </message>
    <message>
        <source>Reading {name}…</source>
        <translation>{name} を読んでいます…</translation>
    </message>
    <message>
        <source>(not in the file)</source>
        <translation>(ファイルにない)</translation>
    </message>
    <message>
        <source>Encoding: {encoding}. The first {n} rows are shown; choose which column holds each field.</source>
        <translation>文字コード: {encoding}。最初の{n}行を表示しています。各項目がどの列にあるかを選んでください。</translation>
    </message>
    <message>
        <source>Choose the column for: {names}</source>
        <translation>次の項目の列を選んでください: {names}</translation>
    </message>
    <message>
        <source>Row {row}, {column}: {reason}</source>
        <translation>{row}行目 {column}: {reason}</translation>
    </message>
    <message>
        <source>In these rows: {matched} customers are friends, {unmatched} are not yet (their rows are kept and attach when the friend arrives).</source>
        <translation>この中のお客様: 友だち{matched}人、まだ友だちでない方{unmatched}人(その行も保存され、友だちになったときに自動でつながります)。</translation>
    </message>
</context>
<context>
    <name>PurchasePreviewModel</name>
    <message>
        <source>ignored</source>
        <translation>取り込まない</translation>
    </message>
</context>
</TS>
