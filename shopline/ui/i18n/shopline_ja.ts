<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja">
<context>
    <name>FriendDetail</name>
    <message>
        <source>Select a friend to see the details.</source>
        <translation>友だちを選ぶと、ここに詳しい情報が表示されます。</translation>
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
</context>
<context>
    <name>FriendsPage</name>
    <message>
        <source>Search by name, user ID or memo</source>
        <translation>名前・ユーザーID・メモで検索</translation>
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
        <source>This page comes in a later version.</source>
        <translation>このページは今後のバージョンで追加します。</translation>
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
        <source>Available in the next version</source>
        <translation>次のバージョンで対応します</translation>
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
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSVファイル (*.csv);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Importing {name}…</source>
        <translation>{name} を読み込んでいます…</translation>
    </message>
    <message>
        <source>Creating the demo shop…</source>
        <translation>デモショップを作っています…</translation>
    </message>
    <message>
        <source>Import finished</source>
        <translation>読み込みが終わりました</translation>
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
        <source>The refused rows and their reasons were written to:</source>
        <translation>読み込めなかった行と理由は次のファイルに書き出しました:</translation>
    </message>
    <message>
        <source>Open the errors file</source>
        <translation>エラーファイルを開く</translation>
    </message>
</context>
</TS>
